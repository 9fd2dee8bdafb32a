import { initTRPC, TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { formatError } from "@/server/api/error-formatter";

/** Serves a small router over HTTP with the formatter set as in production or development. */
async function call(path: "crash" | "refuse", production: boolean) {
  const t = initTRPC.context<{ requestId: string }>().create({
    isDev: !production,
    errorFormatter: ({ shape, error, ctx }) =>
      formatError({ shape, error, requestId: ctx?.requestId ?? null, production }),
  });
  const router = t.router({
    crash: t.procedure.query(() => {
      throw new Error('relation "tasks" does not exist: SELECT * FROM tasks WHERE user_id = $1');
    }),
    refuse: t.procedure.query(() => {
      throw new TRPCError({ code: "FORBIDDEN", message: "Not yours." });
    }),
  });
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}`),
    router,
    createContext: () => ({ requestId: "req-123" }),
  });
  return { status: response.status, text: await response.text() };
}

describe("error formatter", () => {
  it("in production hides an unexpected error behind a generic message and the request id", async () => {
    const { status, text } = await call("crash", true);
    expect(status).toBe(500);
    expect(JSON.parse(text).error.message).toBe("Something went wrong on our side (request req-123).");
    expect(text).not.toMatch(/SELECT|relation|stack|\.ts/);
  });

  it("in production keeps an expected error's message", async () => {
    const { status, text } = await call("refuse", true);
    expect(status).toBe(403);
    expect(JSON.parse(text).error.message).toBe("Not yours.");
  });

  it("in development shows the message and stack", async () => {
    const { text } = await call("crash", false);
    expect(text).toMatch(/relation \\"tasks\\"/);
    expect(JSON.parse(text).error.data.stack).toBeTruthy();
  });
});
