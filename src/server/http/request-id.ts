// Request ids: one per API request, in the x-request-id response header, in error bodies and on every log line
// written while serving it. An id sent by the client or a proxy in front (X-Request-Id) is kept when it is a short
// token, so lines correlate across hops; anything else is replaced by a new UUID.
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id to use for a request whose X-Request-Id header is `incoming`. */
export function requestIdFrom(incoming: string | string[] | null | undefined): string {
  return typeof incoming === "string" && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
