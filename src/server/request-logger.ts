// The logger of the request being served, for code that runs inside a request without being handed its logger (the
// mailer). Everywhere else the request's logger is passed explicitly, as `ctx.log`.
import { currentRequestId } from "@/server/auth/endpoint-request-id";
import { type Logger, logger } from "@/server/logger";

/** The logger of the request being served (its lines carry the request id), else the app's logger. */
export function requestLogger(): Logger {
  const requestId = currentRequestId();
  return requestId ? logger.child({ requestId }) : logger;
}
