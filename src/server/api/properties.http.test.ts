// Bad input at scale, over the wire: arbitrary HTTP requests to /api/trpc through the production listener (any
// method, single calls and batches past the cap, malformed paths, bodies that are not superjson, not JSON, of the
// wrong type or past the size limit, cross-site origins), as any caller. Never a 5xx, every error names its request,
// and a refused request changes nothing.
import fc from "fast-check";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { CALLER_KINDS, CallerFixtures } from "@/test/caller-fixtures";
import { changesBetween, describeChanges, snapshotDatabase } from "@/test/database-snapshot";
import { BASE_URL } from "@/test/http";
import { rawRequest, startTestServer } from "@/test/http-server";
import { anyString, hugeString, propertyParameters, propertyTimeout } from "@/test/input-arbitraries";
import { inputFor } from "@/test/procedure-inputs";

const RUNS = 300;
const procedures: Record<string, unknown> = appRouter._def.procedures;
const PROCEDURES = Object.keys(procedures).sort();
/** "query" or "mutation". */
const typeOf = (path = "") => (procedures[path] as { _def: { type: string } } | undefined)?._def.type;

const call = fc.constantFrom(...PROCEDURES).chain((path) => inputFor(path).map((input) => ({ path, input })));

/** Procedure paths a client could type: real ones, batches (up to past the cap of 10), and broken ones. */
const target = fc.oneof(
  { weight: 6, arbitrary: call.map((one) => ({ calls: [one], batch: false })) },
  { weight: 2, arbitrary: fc.array(call, { minLength: 1, maxLength: 12 }).map((calls) => ({ calls, batch: true })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        anyString.map((text) =>
          [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join(""),
        ),
        fc.constantFrom(
          "%E0%A4%A",
          "%",
          "task.create%00",
          "..%2F..%2Fhealth.check",
          ",",
          "task.list,,task.list",
          "__proto__",
          "constructor.prototype",
          "task",
          "task.list.x",
        ),
      )
      .map((path) => ({ calls: [{ path, input: undefined as unknown }], batch: false })),
  },
);

const requestArbitrary = fc.record({
  kind: fc.constantFrom(...CALLER_KINDS),
  /** Mostly the method the (first) procedure takes: GET for a query, POST for a mutation. */
  method: fc.oneof(
    { weight: 6, arbitrary: fc.constant("natural") },
    fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
  ),
  target,
  /** How the input travels: as the client sends it (superjson), as plain JSON, as text that is not JSON, huge. */
  encoding: fc.constantFrom("superjson", "superjson", "superjson", "json", "not-json", "huge"),
  junk: fc.oneof(anyString, hugeString),
  contentType: fc.constantFrom(
    ...Array<string>(6).fill("application/json"),
    "application/json; charset=utf-8",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    undefined,
  ),
  origin: fc.constantFrom(undefined, BASE_URL, "https://evil.example"),
  secFetchSite: fc.constantFrom(undefined, "same-origin", "cross-site"),
});

type GeneratedRequest = typeof requestArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Plain JSON of any input (a bigint, which JSON has no form for, as its digits). */
const asJson = (input: unknown): string =>
  JSON.stringify(input ?? null, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value));

/**
 * The JSON text of one input: superjson, as the client sends it, or plain JSON. What superjson refuses to serialise
 * (an own `__proto__` or `constructor` key) goes as plain JSON, as a hand-written client would send it; a value too
 * deep for this process's stack to serialise goes as 5,000 nested arrays.
 */
function encode(input: unknown, encoding: GeneratedRequest["encoding"]): string {
  const forms = [() => JSON.stringify(superjson.serialize(input)), () => asJson(input)];
  for (const form of encoding === "json" ? forms.slice(1) : forms) {
    try {
      return form();
    } catch {
      // the next form
    }
  }
  return `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
}

describe("tRPC over HTTP, any request", () => {
  let fixtures: CallerFixtures;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    [fixtures, server] = await Promise.all([CallerFixtures.create(), startTestServer()]);
  });
  afterAll(() => server.close());

  it(
    "never a 5xx, every error carries the request id, a refused request changes nothing",
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(requestArbitrary, async (generated) => {
          const before = await fixtures.prepare();
          const { kind, target, encoding, junk } = generated;
          const natural = typeOf(target.calls[0]?.path) === "query" ? "GET" : "POST";
          const method = generated.method === "natural" ? natural : generated.method;
          const inputs = target.calls.map(({ input }) => encode(fixtures.resolve(input), encoding));
          const json =
            encoding === "not-json" || encoding === "huge"
              ? junk
              : target.batch
                ? `{${inputs.map((input, i) => `"${i}":${input}`).join(",")}}`
                : (inputs[0] ?? "");
          const query = new URLSearchParams(target.batch ? { batch: "1" } : {});
          const sendsBody = method !== "GET" && method !== "HEAD";
          if (!sendsBody) query.set("input", json);
          const headers: Record<string, string> = {};
          for (const [name, value] of fixtures.headersOf(kind)) headers[name] = value;
          if (generated.contentType) headers["content-type"] = generated.contentType;
          if (generated.origin) headers.origin = generated.origin;
          if (generated.secFetchSite) headers["sec-fetch-site"] = generated.secFetchSite;

          const response = await rawRequest(server.url, {
            method,
            path: `/api/trpc/${target.calls.map(({ path }) => path).join(",")}?${query}`,
            headers,
            body: sendsBody ? Buffer.from(json) : undefined,
          });
          const after = await snapshotDatabase();
          fixtures.remember(after);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);

          expect(response.status, response.body.slice(0, 500)).toBeLessThan(500);
          if (response.status >= 400) {
            const changes = describeChanges(changesBetween(before, after), fixtures.nameOf);
            expect(changes, `answered ${response.status} yet changed`).toEqual([]);
          }
          // Node itself refuses a request line or headers past its limit (431) before any handler sees them.
          if (response.status === 431) return;
          const requestId = response.headers["x-request-id"];
          expect(typeof requestId, `no request id on a ${response.status}`).toBe("string");
          if (response.status >= 400 && method !== "HEAD") {
            const body: unknown = JSON.parse(response.body);
            const errors = (Array.isArray(body) ? body : [body]) as {
              error?: { json?: { data?: { requestId?: string } } };
            }[];
            for (const entry of errors) if (entry.error) expect(entry.error.json?.data?.requestId).toBe(requestId);
          }
        }),
        propertyParameters(RUNS),
      );
      // The requests reached the procedures, not only the refusals in front of them.
      expect(statuses.get(200)).toBeGreaterThan(0);
      expect([...statuses.keys()].filter((status) => status >= 400).length).toBeGreaterThan(3);
    },
    propertyTimeout(RUNS),
  );
});
