// Better Auth's log lines, and our code that runs inside its endpoints (the mailer), written by the app's logger
// with the request id. Better Auth already runs each endpoint inside an AsyncLocalStorage scope of its own that
// holds the request's headers, where the HTTP handler puts x-request-id: the id is read from there, so serving a
// request opens no scope of ours (everywhere else the request's logger is passed explicitly).
// `@better-auth/core` is the package better-auth itself is built on, installed at the exact same version.
import { tryGetCurrentAuthEndpointContext } from "@better-auth/core/context";
import type { BetterAuthOptions } from "better-auth";
import { env, type LogLevel } from "@/env";
import { REQUEST_ID_HEADER } from "@/server/http/request-id";
import { type Logger, logger } from "@/server/logger";

function currentRequestId(): string | null {
  return tryGetCurrentAuthEndpointContext()?.headers?.get(REQUEST_ID_HEADER) ?? null;
}

/** The logger of the Better Auth request being served (its lines carry the request id), else the app's logger. */
export function authRequestLogger(): Logger {
  const requestId = currentRequestId();
  return requestId ? logger.child({ requestId }) : logger;
}

/**
 * Better Auth's own threshold: its info lines are chatty (and name the email of every sign-up attempt), so they
 * are written only when LOG_LEVEL asks for debug.
 */
const BETTER_AUTH_LEVEL = {
  trace: "debug",
  debug: "debug",
  info: "warn",
  warn: "warn",
  error: "error",
  fatal: "error",
  silent: "error",
} as const satisfies Record<LogLevel, "debug" | "info" | "warn" | "error">;

/** The `logger` option of betterAuth(): its lines as JSON, with an Error under `err` and anything else in `detail`. */
export function betterAuthLogger(): NonNullable<BetterAuthOptions["logger"]> {
  return {
    disabled: env.LOG_LEVEL === "silent",
    level: BETTER_AUTH_LEVEL[env.LOG_LEVEL],
    log(level, message, ...args: unknown[]) {
      const fields: Record<string, unknown> = { component: "better-auth" };
      const requestId = currentRequestId();
      if (requestId) fields.requestId = requestId;
      const details = args.filter((arg) => {
        if (!(arg instanceof Error) || fields.err) return true;
        fields.err = arg;
        return false;
      });
      if (details.length > 0) fields.detail = details.length === 1 ? details[0] : details;
      logger[level](fields, message);
    },
  };
}
