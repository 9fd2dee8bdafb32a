// The API served straight from node:http: /api/trpc and /api/auth go to the same handlers Next's route handlers
// use, without Next's per-request layer; every other path goes to `fallback` (Next, in src/serve.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { handleTrpcRequest, TRPC_ENDPOINT } from "@/server/api/http-handler";
import { AUTH_ENDPOINT, handleAuthRequest } from "@/server/auth/http-handler";

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const routes: [prefix: string, handler: (request: Request) => Promise<Response>][] = [
  [`${TRPC_ENDPOINT}/`, handleTrpcRequest],
  [`${AUTH_ENDPOINT}/`, handleAuthRequest],
];

/**
 * A web Request from Node's message. Like Next's server, the socket's address is appended to X-Forwarded-For,
 * so the client IP rule (TRUSTED_PROXY_HOPS) reads the same chain whichever server took the request.
 */
function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const peer = req.socket.remoteAddress;
  if (peer) {
    const forwarded = headers.get("x-forwarded-for");
    headers.set("x-forwarded-for", forwarded ? `${forwarded}, ${peer}` : peer);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Required by Node's fetch for a streamed body; the handlers read it with their own size cap.
    ...(hasBody ? { duplex: "half" } : {}),
  });
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const body = Buffer.from(await response.arrayBuffer());
  headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers).end(body);
}

/** Answers /api/trpc/* and /api/auth/*; hands anything else to `fallback`. `origin` is this server's own URL. */
export function createApiListener(origin: string, fallback: RequestListener): RequestListener {
  return (req, res) => {
    const path = req.url ?? "/";
    const route = routes.find(([prefix]) => path.startsWith(prefix));
    if (!route) return fallback(req, res);
    route[1](toRequest(req, origin))
      .then((response) => writeResponse(response, res))
      .catch((error: unknown) => {
        console.error(`[http] ${req.method} ${path.split("?")[0]} failed:`, error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "Internal server error" }));
      });
  };
}
