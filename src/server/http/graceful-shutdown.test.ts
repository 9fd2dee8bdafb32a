// drain() over real sockets: requests in flight are answered, new connections refused, stuck ones cut at the deadline.
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { drain } from "@/server/http/graceful-shutdown";

let server: Server;

async function listen(listener: RequestListener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(() => {
  server.closeAllConnections();
  server.close();
});

describe("drain", () => {
  it("answers every request in flight, refuses new connections, and finishes early", async () => {
    let started = 0;
    const url = await listen((_req, res) => {
      started++;
      setTimeout(() => res.end("done"), 300);
    });
    // Keep-alive connections (fetch keeps them open) must not hold the server open once idle.
    await fetch(url).then((response) => response.text());
    const inFlight = Array.from({ length: 5 }, () => fetch(url).then((response) => response.text()));
    await expect.poll(() => started).toBe(6);

    const begin = Date.now();
    const drained = drain(server, 5_000);
    await expect(fetch(url, { headers: { connection: "close" } })).rejects.toThrow();
    expect(await Promise.all(inFlight)).toEqual(Array(5).fill("done"));
    expect(await drained).toBe(true);
    expect(Date.now() - begin).toBeLessThan(2_000);
  });

  it("cuts a request that does not finish by the deadline", async () => {
    const url = await listen(() => {
      /* never answers */
    });
    const stuck = fetch(url).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const begin = Date.now();
    expect(await drain(server, 300)).toBe(false);
    expect(Date.now() - begin).toBeGreaterThanOrEqual(290);
    expect(await stuck).toBeInstanceOf(Error);
  });
});
