// No tRPC input makes the server stall for others: superjson's annotations are checked before it deserialises, so a
// body asking for Sets and referential equalities is a quick BAD_REQUEST, while our clients' inputs still pass.
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "@/server/api/http-handler";
import { MAX_INPUT_ANNOTATIONS, MAX_INPUT_PATH_DEPTH } from "@/server/api/transformer";
import { createUser, signIn } from "@/test/fixtures";
import { trpcRequest } from "@/test/http";
import { latencyAlone, latencyDuring } from "@/test/latency";

/** How many times its latency alone another request may take while the hostile one is served. */
const MAX_SLOWDOWN = 10;

const healthCheck = async () => expect((await trpcRequest("health.check")).status).toBe(200);

async function signedInCookie(): Promise<string> {
  return (await signIn(await createUser())).headers.get("cookie") ?? "";
}

async function createTask(cookie: string, body: unknown): Promise<{ status: number; code?: string; message?: string }> {
  const response = await trpcRequest("task.create", { body, headers: { cookie } });
  const { error } = (await response.json()) as { error?: { json: { message: string; data: { code: string } } } };
  return { status: response.status, code: error?.json.data.code, message: error?.json.message };
}

/** 50,000 `{}` tagged as a Set, and 10,000 referential equalities pointing at its end: just under the body limit. */
function setAndEqualitiesBody() {
  const items = 50_000;
  const targets = Array.from({ length: 10_000 }, (_, i) => `s.${items - 1 - i}`);
  const body = {
    json: { title: "hostile", s: Array.from({ length: items }, () => ({})) },
    meta: { values: { s: ["set"] }, referentialEqualities: { "s.0": targets }, v: 1 },
  };
  expect(JSON.stringify(body).length).toBeLessThan(MAX_BODY_BYTES);
  return body;
}

describe("superjson input does not stall other requests", () => {
  it("a task.create of Sets and referential equalities is a BAD_REQUEST, with no stall", async () => {
    const cookie = await signedInCookie();
    await createTask(cookie, { json: { title: "warm-up" } });
    const hostile = setAndEqualitiesBody();
    const { result, worstMs, probes } = await latencyDuring(() => createTask(cookie, hostile), healthCheck);
    // As many probes alone, after: the worst of many calls is compared with the worst of as many.
    const alone = await latencyAlone(healthCheck, Math.min(Math.max(probes, 10), 2_000));
    console.info(
      `health.check: ${alone.toFixed(1)} ms alone, ${worstMs.toFixed(1)} ms at worst during the input (${probes} probes)`,
    );
    expect(result).toMatchObject({
      status: 400,
      code: "BAD_REQUEST",
      message: expect.stringContaining("referential equalities"),
    });
    expect(worstMs / alone).toBeLessThan(MAX_SLOWDOWN);
  });
});

describe("superjson input: only what our clients send", () => {
  it.each([
    ["a Set", { json: { title: "x", s: [] }, meta: { values: { s: ["set"] }, v: 1 } }, "only Date and undefined"],
    [
      "a Map inside a Date's place",
      { json: { title: "x", dueAt: [] }, meta: { values: { dueAt: ["map", {}] }, v: 1 } },
      "only Date and undefined",
    ],
    [
      "too many annotations",
      {
        json: { title: "x" },
        meta: {
          values: Object.fromEntries(
            Array.from({ length: MAX_INPUT_ANNOTATIONS + 1 }, (_, i) => [`a${i}`, ["undefined"]]),
          ),
          v: 1,
        },
      },
      `more than ${MAX_INPUT_ANNOTATIONS}`,
    ],
    [
      "a path too deep",
      {
        json: { title: "x" },
        meta: {
          values: {
            [Array(MAX_INPUT_PATH_DEPTH + 1)
              .fill("a")
              .join(".")]: ["Date"],
          },
          v: 1,
        },
      },
      "deeper than",
    ],
    ["an unknown meta key", { json: { title: "x" }, meta: { values: {}, custom: {}, v: 1 } }, "unknown key"],
  ])("%s is a BAD_REQUEST", async (_, body, reason) => {
    const result = await createTask(await signedInCookie(), body);
    expect(result).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringContaining(reason) });
  });

  it("our clients' inputs (superjson with a Date and undefined) still pass", async () => {
    const cookie = await signedInCookie();
    const dueAt = new Date("2030-01-02T03:04:05.000Z");
    const result = await createTask(
      cookie,
      superjson.serialize({ title: "with a date", description: undefined, dueAt }),
    );
    expect(result.status).toBe(200);
    const batch = await trpcRequest("task.create,task.create?batch=1", {
      body: { 0: superjson.serialize({ title: "one", dueAt }), 1: superjson.serialize({ title: "two", dueAt: null }) },
      headers: { cookie },
    });
    expect(batch.status).toBe(200);
  });
});
