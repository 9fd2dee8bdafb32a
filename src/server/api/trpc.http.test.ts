// The tRPC endpoint over HTTP: transport rules, error shapes, and the session cookie.
import { describe, expect, it } from "vitest";
import { env } from "@/env";
import { mutationCounterKey } from "@/server/api/middlewares/mutation-limit";
import { PASSWORD_FAILURE_LIMIT, PASSWORD_FAILURE_WINDOW_MS, failedPasswordKey } from "@/server/auth/password-attempts";
import { counters } from "@/server/rate-limit/counters";
import { createUser, signIn } from "@/test/fixtures";
import { trpcRequest } from "@/test/http";

type TrpcError = {
  error: { json: { message: string; code: number; data: { code: string; zodError: unknown; stack?: string } } };
};

describe("/api/trpc", () => {
  it("answers health.check over GET", async () => {
    const response = await trpcRequest("health.check");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: { data: { json: { status: "ok", db: "ok" } } } });
  });

  it("serves a signed-in mutation from the session cookie", async () => {
    const { headers } = await signIn(await createUser());
    const response = await trpcRequest("task.create", {
      body: { json: { title: "over HTTP" } },
      headers: { cookie: headers.get("cookie") ?? "" },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { json: { title: string } } } };
    expect(body.result.data.json.title).toBe("over HTTP");
  });

  it("is UNAUTHORIZED (401) without a session", async () => {
    const response = await trpcRequest("task.create", { body: { json: { title: "x" } } });
    expect(response.status).toBe(401);
  });

  it("refuses a mutation over GET", async () => {
    const { headers } = await signIn(await createUser());
    const input = encodeURIComponent(JSON.stringify({ json: { title: "x" } }));
    const response = await trpcRequest(`task.create?input=${input}`, {
      headers: { cookie: headers.get("cookie") ?? "" },
    });
    expect(response.status).toBe(405);
  });

  it("returns zod's flattened field errors for bad input", async () => {
    const { headers } = await signIn(await createUser());
    const response = await trpcRequest("task.create", {
      body: { json: { title: "", priority: "urgent" } },
      headers: { cookie: headers.get("cookie") ?? "" },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as TrpcError;
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(body.error.json.data.zodError).toMatchObject({
      fieldErrors: { title: [expect.any(String)], priority: [expect.any(String)] },
    });
  });

  it("refuses a path with a malformed percent-escape (400, not an internal error)", async () => {
    const response = await trpcRequest("%E0%A4%A");
    expect(response.status).toBe(400);
  });

  it("caps batches at 10 calls", async () => {
    const paths = (count: number) => Array.from({ length: count }, () => "health.check").join(",");
    const input = (count: number) =>
      encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [i, {}]))));
    expect((await trpcRequest(`${paths(10)}?batch=1&input=${input(10)}`)).status).toBe(200);
    expect((await trpcRequest(`${paths(11)}?batch=1&input=${input(11)}`)).status).toBe(400);
  });

  it("answers a rate-limited call 429 with Retry-After: the mutation limit and the account-deletion throttle", async () => {
    const user = await createUser();
    const cookie = (await signIn(user)).headers.get("cookie") ?? "";
    const retryAfter = (response: Response) => Number(response.headers.get("retry-after"));

    for (let i = 0; i < env.MUTATION_RATE_LIMIT; i++) await counters.hit(mutationCounterKey(user.id), 60_000);
    const create = await trpcRequest("task.create", { body: { json: { title: "one too many" } }, headers: { cookie } });
    expect(create.status).toBe(429);
    expect(retryAfter(create)).toBeGreaterThanOrEqual(1);
    expect(retryAfter(create)).toBeLessThanOrEqual(60);

    const key = failedPasswordKey(user.email) ?? "";
    for (let i = 0; i < PASSWORD_FAILURE_LIMIT; i++) await counters.hit(key, PASSWORD_FAILURE_WINDOW_MS);
    await counters.reset(mutationCounterKey(user.id));
    const remove = await trpcRequest("account.delete", {
      body: { json: { password: user.password } },
      headers: { cookie },
    });
    expect(remove.status).toBe(429);
    expect(retryAfter(remove)).toBeGreaterThan(60);
    expect(retryAfter(remove)).toBeLessThanOrEqual(PASSWORD_FAILURE_WINDOW_MS / 1000);

    const ok = await trpcRequest("task.create", { body: { json: { title: "allowed" } }, headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("retry-after")).toBeNull();
  });
});
