// The production API listener (src/server/http/api-listener.ts) on a free local port, for clients that must go
// over the network (the CLI); paths other than /api/trpc and /api/auth answer 404 instead of reaching Next, unless
// the test gives its own stand-in for Next.
import { type Agent, type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { env } from "@/env";
import { createApiListener, type RequestListener } from "@/server/http/api-listener";
import { normalisedPath, queryOf } from "@/server/http/request-path";
import { createLimitedServer, NODE_TIMEOUTS, type ServerLimits } from "@/server/http/server-limits";

/** The headers of a Node message as a web Headers, as Next hands them to a route handler. */
export function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    for (const item of [value ?? []].flat()) headers.append(name, item);
  return headers;
}

/**
 * Next's part, as far as the API goes: a path whose normal form is under /api/auth or /api/trpc reaches the route
 * handler (src/app/api/...) with the message's headers as they are (Next fills X-Forwarded-For only when absent).
 */
export const nextApiRoutes: RequestListener = (req, res) => {
  const path = normalisedPath(req.url ?? "/") ?? "";
  const route = path.startsWith("/api/auth/")
    ? { GET: authGet, POST: authPost }
    : path.startsWith("/api/trpc/")
      ? { GET: trpcGet, POST: trpcPost }
      : null;
  if (!route) return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://localhost:3000${path}${queryOf(req.url ?? "")}`, {
      method: req.method,
      headers: headersOf(req),
      body: hasBody ? Buffer.concat(chunks) : undefined,
    });
    void (hasBody ? route.POST : route.GET)(request).then(async (response) => {
      res
        .writeHead(response.status, Object.fromEntries(response.headers))
        .end(Buffer.from(await response.arrayBuffer()));
    });
  });
};

/**
 * Listens on a free local port; `log` lists the requests served ("GET /api/trpc/user.me 200"); `close` stops it.
 * `fallback` serves what the listener does not (Next, in production); by default a 404. The server is the one
 * `npm start` runs, with its limits (Node's timeouts, MAX_CONNECTIONS) unless `limits` says otherwise.
 */
export async function startTestServer(
  fallback: RequestListener = (_req, res) => void res.writeHead(404).end(),
  limits: Partial<ServerLimits> = {},
): Promise<{ url: string; log: string[]; close: () => Promise<void> }> {
  const log: string[] = [];
  const server = createLimitedServer({ ...NODE_TIMEOUTS, maxConnections: env.MAX_CONNECTIONS, ...limits });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const listener = createApiListener(url, fallback);
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
