// A TCP relay between a client under test and a real server (PostgreSQL, Redis) that a test can cut, silence and
// restore: network faults for one client, while the server other tests share keeps running.
import net from "node:net";
import type { AddressInfo } from "node:net";

export type TcpProxy = {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  /** Connections are reset and new ones refused, as when the server is down. */
  cut(): void;
  /** Nothing more is relayed either way (connections stay open), as when the server hangs. */
  silence(): void;
  /** Relays again; silenced bytes are delivered. */
  restore(): void;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: "up" | "cut" | "silent" = "up";
  const pairs = new Set<[net.Socket, net.Socket]>();
  // Bytes received while silent, in order, with the socket they are for.
  let held: Array<[net.Socket, Buffer]> = [];
  const relay = (to: net.Socket) => (chunk: Buffer) => {
    if (mode === "silent") held.push([to, chunk]);
    else to.write(chunk);
  };

  const server = net.createServer((client) => {
    if (mode === "cut") {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.on("data", relay(upstream));
    upstream.on("data", relay(client));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    cut() {
      mode = "cut";
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
      held = [];
    },
    silence() {
      mode = "silent";
    },
    restore() {
      mode = "up";
      for (const [to, chunk] of held) if (!to.destroyed) to.write(chunk);
      held = [];
    },
    close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
