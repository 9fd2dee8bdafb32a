// A real HTTP server in front of the real route handlers, for clients that must go over the network (the CLI).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as authRoute from "@/app/api/auth/[...all]/route";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";

async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host}`), {
    method: req.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, log: string[]): Promise<void> {
  const request = await toRequest(req);
  const route = new URL(request.url).pathname.startsWith("/api/auth/") ? authRoute : trpcRoute;
  const response = await (request.method === "GET" ? route.GET : route.POST)(request);
  log.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
  const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Listens on a free local port; `log` lists the requests served ("GET /api/trpc/user.me 200"); `close` stops it. */
export async function startTestServer(): Promise<{ url: string; log: string[]; close: () => Promise<void> }> {
  const log: string[] = [];
  const server = createServer((req, res) => {
    handle(req, res, log).catch((error: unknown) => {
      console.error(error);
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // clients keep connections alive
      }),
  };
}
