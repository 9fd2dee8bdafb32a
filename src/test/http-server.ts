// The production listener (src/api-listener.ts) on a free local port, for clients that must go over the network
// (the CLI), with a stand-in for Next behind it that serves /api/trpc, /api/auth and /api/openapi.json through Next's
// route handlers (src/app/api/…) as Next adapts a Node request to them, and answers 404 elsewhere, unless the test
// gives its own.
// With FAST_PATHS=off (or `fastPaths: false`) the listener hands the API paths to that stand-in too.
import { type Agent, type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiListener, type RequestListener } from "@/api-listener";
import * as authRoute from "@/app/api/auth/[...all]/route";
import * as openApiRoute from "@/app/api/openapi.json/route";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";
import { env } from "@/env";
import { normalisedPath, queryOf } from "@/server/http/request-path";
import { createLimitedServer, NODE_TIMEOUTS, type ServerLimits } from "@/server/http/server-limits";

/** The headers of a Node message as a web Headers, as Next hands them to a route handler. */
export function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    for (const item of [value ?? []].flat()) headers.append(name, item);
  return headers;
}

type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
type RouteModule = Partial<Record<Method, (request: Request) => Promise<Response>>>;

/** Headers Next does not copy from a route handler's Response: it frames the body itself. */
const FRAMING_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding"]);

/**
 * Next's part, as far as the API goes: a path whose normal form is under /api/auth or /api/trpc, or is
 * /api/openapi.json, reaches the route handler (src/app/api/...) as Next's own adapter builds the Request
 * (next/dist/server/web/spec-extension/adapters/next-request.js): the message's headers as Node folded them (Next
 * fills X-Forwarded-For only when absent), a signal that aborts when the client leaves before its answer; and the
 * Response is written as Next's sendResponse writes it (each Set-Cookie its own header, framing headers left to Node,
 * the body streamed).
 */
export const nextApiRoutes: RequestListener = (req, res) => {
  const path = normalisedPath(req.url ?? "/") ?? "";
  const route: RouteModule | null = path.startsWith("/api/auth/")
    ? authRoute
    : path.startsWith("/api/trpc/")
      ? trpcRoute
      : path === "/api/openapi.json"
        ? openApiRoute
        : null;
  if (!route) return void res.writeHead(404).end();
  // Next's app-route module: HEAD falls back to GET, OPTIONS without a handler lists the methods, any other is a 405.
  const handler = route[req.method as Method] ?? (req.method === "HEAD" ? route.GET : undefined);
  if (!handler) {
    if (req.method !== "OPTIONS") return void res.writeHead(405).end();
    const allow = [...new Set([...Object.keys(route), "HEAD", "OPTIONS"])].sort().join(", ");
    return void res.writeHead(204, { allow }).end();
  }
  const clientGone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) clientGone.abort();
  });
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://localhost:3000${path}${queryOf(req.url ?? "")}`, {
      method: req.method,
      headers: headersOf(req),
      signal: clientGone.signal,
      body: hasBody ? Buffer.concat(chunks) : undefined,
    });
    void handler(request).then(async (response) => {
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        if (FRAMING_HEADERS.has(name) || name === "set-cookie") return;
        res.appendHeader(name, value);
      });
      for (const cookie of response.headers.getSetCookie()) res.appendHeader("set-cookie", cookie);
      res.end(req.method === "HEAD" ? undefined : Buffer.from(await response.arrayBuffer()));
    });
  });
};

/**
 * Listens on a free local port; `log` lists the requests served ("GET /api/trpc/user.me 200"); `close` stops it.
 * `fallback` serves what the listener does not (Next, in production); by default the route handlers as Next serves
 * them, and a 404 for any other path. The server is the one `npm start` runs, with its limits (Node's timeouts,
 * MAX_CONNECTIONS) unless `limits` says otherwise, and its fast paths as FAST_PATHS says unless `fastPaths` does.
 */
export async function startTestServer(
  fallback: RequestListener = nextApiRoutes,
  limits: Partial<ServerLimits> = {},
  { fastPaths }: { fastPaths?: boolean } = {},
): Promise<{ url: string; log: string[]; close: () => Promise<void> }> {
  const log: string[] = [];
  const server = createLimitedServer({ ...NODE_TIMEOUTS, maxConnections: env.MAX_CONNECTIONS, ...limits });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const listener = createApiListener(url, fallback, { fastPaths });
  server.on("request", (req, res) => {
    res.once("finish", () => log.push(`${req.method} ${(req.url ?? "/").split("?")[0]} ${res.statusCode}`));
    listener(req, res);
  });
  return {
    url,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // clients keep connections alive
      }),
  };
}

export type RawResponse = { status: number; headers: IncomingHttpHeaders; body: string; reusedSocket: boolean };

/**
 * One request as a client on the wire sends it: any method, a path as given (not normalised), any headers (a list
 * sends the header once per item), a body written in 64 KiB pieces (chunked unless `content-length` is set), from
 * `localAddress` if given (any 127.x.y.z reaches a loopback server). Resolves with the response even when the server
 * answered before the whole body was sent; rejects on a connection error before any answer (a reset, say).
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string | string[]>;
    body?: Buffer;
    agent?: Agent;
    localAddress?: string;
  },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    // Node frames a body in chunks by default only for methods that usually have one (not DELETE or OPTIONS).
    if (options.body && !Object.keys(headers).some((name) => name.toLowerCase() === "content-length")) {
      headers["transfer-encoding"] = "chunked";
    }
    const { method = "GET", path, agent, localAddress } = options;
    const req = request({ hostname, port, method, path, headers, agent, localAddress });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          reusedSocket: req.reusedSocket,
        }),
      );
    });
    const body = options.body ?? Buffer.alloc(0);
    let offset = 0;
    const writeMore = () => {
      while (offset < body.byteLength) {
        const piece = body.subarray(offset, offset + 65_536);
        offset += piece.byteLength;
        if (!req.write(piece)) return void req.once("drain", writeMore);
      }
      req.end();
    };
    writeMore();
  });
}
