// drain() over real sockets: requests in flight are answered, new connections refused, stuck ones cut at the deadline.
import { Agent, createServer, request, type RequestListener, type Server } from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { drain, trackResponses } from "@/server/http/graceful-shutdown";

let server: Server;

async function listen(listener: RequestListener): Promise<string> {
  server = trackResponses(createServer(listener));
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
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = net.connect(Number(new URL(url).port), "127.0.0.1");
      socket.on("connect", () => resolve(undefined)).on("error", (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe("ECONNREFUSED");
    expect(await Promise.all(inFlight)).toEqual(Array(5).fill("done"));
    expect(await drained).toBe(true);
    expect(Date.now() - begin).toBeLessThan(4_000);
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

  it("answers in flight and later requests with Connection: close, so keep-alive clients do not reuse the connection", async () => {
    const url = await listen((_req, res) => setTimeout(() => res.end("done"), 200));
    const agent = new Agent({ keepAlive: true });
    const get = () =>
      new Promise<string | undefined>((resolve, reject) => {
        request(url, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.headers.connection));
        })
          .on("error", reject)
          .end();
      });
    expect(await get()).toBe("keep-alive");
    const inFlight = get();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const drained = drain(server, 5_000);
    expect(await inFlight).toBe("close");
    expect(await drained).toBe(true);
    agent.destroy();
  });

  it("answers a request that reached an idle keep-alive connection but was not yet read, instead of resetting it", async () => {
    const url = await listen((_req, res) => res.end("done"));
    const { port } = new URL(url);
    const socket = net.connect(Number(port), "127.0.0.1");
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    const ask = `GET / HTTP/1.1\r\nHost: localhost\r\n\r\n`;
    socket.write(ask);
    await expect.poll(() => received).toContain("done");
    received = "";
    // The second request is on the wire when the drain starts; the server has not read it yet.
    socket.write(ask);
    const drained = drain(server, 5_000);
    await closed;
    expect(received).toMatch(/^HTTP\/1.1 200 OK/);
    expect(received.toLowerCase()).toContain("connection: close");
    expect(await drained).toBe(true);
  });
});
