// The production API listener (src/server/http/api-listener.ts) on a free local port, for clients that must go
// over the network (the CLI); paths other than /api/trpc and /api/auth answer 404 instead of reaching Next.
import { createServer } from "node:http";
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
