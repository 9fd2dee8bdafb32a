// The production API listener (src/server/http/api-listener.ts) on a free local port, for clients that must go
// over the network (the CLI); paths other than /api/trpc and /api/auth answer 404 instead of reaching Next.
import { type Agent, createServer, type IncomingHttpHeaders, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiListener } from "@/server/http/api-listener";

/** Listens on a free local port; `log` lists the requests served ("GET /api/trpc/user.me 200"); `close` stops it. */
export async function startTestServer(): Promise<{ url: string; log: string[]; close: () => Promise<void> }> {
  const log: string[] = [];
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const listener = createApiListener(url, (_req, res) => res.writeHead(404).end());
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
 * One request as a client on the wire sends it: any method, a path as given (not normalised), any headers, a body
 * written in 64 KiB pieces (chunked unless `content-length` is set). Resolves with the response even when the server
 * answered before the whole body was sent; rejects on a connection error before any answer (a reset, say).
 */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer; agent?: Agent },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    // Node frames a body in chunks by default only for methods that usually have one (not DELETE or OPTIONS).
    if (options.body && !Object.keys(headers).some((name) => name.toLowerCase() === "content-length")) {
      headers["transfer-encoding"] = "chunked";
    }
    const req = request({ hostname, port, method: options.method ?? "GET", path: options.path, headers, agent: options.agent });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), reusedSocket: req.reusedSocket }),
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
