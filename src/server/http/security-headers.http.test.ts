// API responses carry the security headers pages get from src/proxy.ts, whichever way they are served: the
// production listener (src/serve.ts) over real TCP, and Next's route handlers. HSTS in production only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as ping } from "@/app/api/ping/route";
import { GET as ready } from "@/app/api/ready/route";
import { env } from "@/env";
import { authRequest, trpcRequest } from "@/test/http";
import { rawRequest, startTestServer } from "@/test/http-server";

type HeaderRead = (name: string) => string | null | undefined;

function expectSecurityHeaders(header: HeaderRead, { production }: { production: boolean }) {
  expect(header("x-content-type-options")).toBe("nosniff");
  expect(header("referrer-policy")).toBe("strict-origin-when-cross-origin");
  if (production) expect(header("strict-transport-security")).toMatch(/^max-age=\d+; includeSubDomains$/);
  else expect(header("strict-transport-security") ?? null).toBeNull();
}

/** Runs `run` as the production server would: env is read at each response. */
async function inProduction(run: () => Promise<void>) {
  const mutable = env as { NODE_ENV: string };
  const previous = mutable.NODE_ENV;
  mutable.NODE_ENV = "production";
  try {
    await run();
  } finally {
    mutable.NODE_ENV = previous;
  }
}

describe("security headers from the API listener", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const requests: [string, Parameters<typeof rawRequest>[1]][] = [
    ["a tRPC query", { path: "/api/trpc/health.check" }],
    [
      "a tRPC refusal",
      {
        method: "POST",
        path: "/api/trpc/task.create",
        headers: { "content-type": "text/plain" },
        body: Buffer.from("x"),
      },
    ],
    ["an auth answer", { path: "/api/auth/get-session" }],
    [
      "an auth refusal",
      {
        method: "POST",
        path: "/api/auth/sign-in/email",
        headers: { "content-type": "application/json" },
        body: Buffer.from("{}"),
      },
    ],
  ];

  it.each(requests)("on %s", async (_, request) => {
    const response = await rawRequest(server.url, request);
    expectSecurityHeaders((name) => response.headers[name] as string | undefined, { production: false });
  });

  it("with HSTS in production", async () => {
    await inProduction(async () => {
      for (const [, request] of requests) {
        const response = await rawRequest(server.url, request);
        expectSecurityHeaders((name) => response.headers[name] as string | undefined, { production: true });
      }
    });
  });
});

describe("security headers from Next's route handlers", () => {
  const responses: [string, () => Promise<Response> | Response][] = [
    ["tRPC", () => trpcRequest("health.check")],
    ["auth", () => authRequest("/get-session")],
    ["/api/health", () => health()],
    ["/api/ping", () => ping()],
    ["/api/ready", () => ready()],
  ];

  it.each(responses)("on %s", async (_, respond) => {
    const response = await respond();
    expectSecurityHeaders((name) => response.headers.get(name), { production: false });
  });

  it("with HSTS in production", async () => {
    await inProduction(async () => {
      for (const [, respond] of responses) {
        const response = await respond();
        expectSecurityHeaders((name) => response.headers.get(name), { production: true });
      }
    });
  });
});
