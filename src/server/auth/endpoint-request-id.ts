// The id of the Better Auth request being served, for code that runs inside it without being handed the request (the
// mail it queues, Better Auth's own log lines). Better Auth runs each endpoint inside an AsyncLocalStorage scope of its own
// that holds the request's headers, where the HTTP handler puts x-request-id: the id is read from there, so serving a
// request opens no scope of ours. `@better-auth/core` is the package better-auth itself is built on, installed at the
// exact same version.
import { tryGetCurrentAuthEndpointContext } from "@better-auth/core/context";
import { REQUEST_ID_HEADER } from "@/server/http/request-id";

/** The id of the Better Auth request being served, if any. */
export function currentRequestId(): string | null {
  return tryGetCurrentAuthEndpointContext()?.headers?.get(REQUEST_ID_HEADER) ?? null;
}
