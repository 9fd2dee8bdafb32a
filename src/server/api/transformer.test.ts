// The fast serialiser, a fast path (FAST_PATHS), against superjson on the same generated values: the same bytes for
// any value, values of every type superjson knows included, and the same value back through superjson.deserialize.
// `transformer.serialize` is the fast serialiser with FAST_PATHS=on and superjson itself with FAST_PATHS=off.
import fc from "fast-check";
import superjson from "superjson";
import { describe, expect, it, vi } from "vitest";
import { env } from "@/env";
import { fastSerialize, transformer } from "@/server/api/transformer";

const bytes = (value: unknown) => JSON.stringify(value);

/** The serialised bytes, or the error thrown (superjson refuses some values, e.g. a `__proto__` key). */
function outcome(serialize: (value: unknown) => unknown, value: unknown): string {
  try {
    return bytes(serialize(value));
  } catch (error) {
    return `threw ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Both serialisers give the same bytes for `value`, and superjson.deserialize reads the same value back from both. */
function expectSameAsSuperjson(value: unknown): void {
  const fast = outcome(fastSerialize, value);
  const library = outcome((v) => superjson.serialize(v), value);
  expect(fast).toBe(library);
  if (fast.startsWith("threw ")) return;
  // superjson cannot read back some of its own outputs (a shared object under an invalid Date key of a Map, say):
  // then both fail alike, which is the same behaviour.
  const readBack = (text: string) => {
    try {
      return superjson.deserialize(JSON.parse(text) as Parameters<typeof superjson.deserialize>[0]);
    } catch (error) {
      return `threw ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  expect(readBack(fast)).toEqual(readBack(library));
}

/** Keys that need care: superjson escapes dots and backslashes in its paths and refuses prototype keys. */
const key = fc.oneof(
  fc.string(),
  fc.constantFrom("a.b", "a\\b", "\\.", ".", "..", "__proto__", "constructor", "prototype", "0", "", "toString"),
);

const anyValue = fc.anything({
  withDate: true,
  withNullPrototype: true,
  withMap: true,
  withSet: true,
  withBigInt: true,
  withSparseArray: true,
  withBoxedValues: true,
  withObjectString: true,
  withTypedArray: true,
  key,
});

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const ERRORS = [Error, TypeError, RangeError] as const;

/** Every type superjson serialises specially, alone and nested in objects, arrays (with holes), Maps and Sets. */
const { value: superjsonValue } = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.integer(),
    fc.double(), // NaN, Infinity, -Infinity and -0 included
    fc.constantFrom(Number.NaN, Infinity, -Infinity, -0),
    fc.bigInt(),
    fc.date(), // invalid Dates included
    fc.constant(new Date(Number.NaN)),
    fc
      .tuple(fc.string(), fc.subarray(["d", "g", "i", "m", "s", "u", "y"]))
      .map(([source, flags]) => new RegExp(escapeRegExp(source), flags.join(""))),
    fc.webUrl({ withQueryParameters: true, withFragments: true }).map((url) => new URL(url)),
    fc.tuple(fc.constantFrom(...ERRORS), fc.string()).map(([Kind, message]) => new Kind(message)),
  ),
  value: fc.oneof(
    { maxDepth: 4, depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    tie("array"),
    tie("sparse"),
    tie("object"),
    tie("map"),
    tie("set"),
    tie("shared"),
  ),
  array: fc.array(tie("value"), { maxLength: 5 }),
  sparse: fc.sparseArray(tie("value"), { maxLength: 6 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
  map: fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 }).map((entries) => new Map(entries)),
  set: fc.array(tie("value"), { maxLength: 3 }).map((items) => new Set(items)),
  // The same object twice: superjson records a referential equality.
  shared: tie("object").map((object) => ({ first: object, second: [object] })),
}));

/** Shapes procedures actually return: rows with Dates, nulls and undefined, in pages. */
const row = fc.record(
  {
    id: fc.uuid(),
    title: fc.string(),
    completed: fc.boolean(),
    priority: fc.constantFrom("low", "medium", "high"),
    dueAt: fc.option(fc.date({ noInvalidDate: true }), { nil: null }),
    createdAt: fc.date({ noInvalidDate: true }),
    note: fc.constant(undefined),
  },
  { requiredKeys: ["id", "title", "createdAt"] },
);
const page = fc.record({ items: fc.array(row, { maxLength: 30 }), nextCursor: fc.option(fc.string(), { nil: null }) });

describe("the fast serialiser against superjson", () => {
  it("gives superjson's exact output for any value", () => {
    fc.assert(fc.property(anyValue, expectSameAsSuperjson), { numRuns: 2_000 });
  });

  it("gives superjson's exact output for every type superjson knows, nested, and reads back the same", () => {
    fc.assert(fc.property(superjsonValue, expectSameAsSuperjson), { numRuns: 2_000 });
  });

  it("gives superjson's exact output for pages of rows, which it serialises itself", () => {
    fc.assert(
      fc.property(page, (value) => {
        const slowPath = vi.spyOn(superjson, "serialize");
        const fast = fastSerialize(value);
        expect(slowPath).not.toHaveBeenCalled();
        slowPath.mockRestore();
        expect(bytes(fast)).toBe(bytes(superjson.serialize(value)));
        expect(superjson.deserialize(JSON.parse(bytes(fast)))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps shared references, invalid dates, special numbers and awkward keys through superjson", () => {
    const shared = { id: 1 };
    const sparse = [1, , 3]; // a hole
    for (const value of [
      { a: shared, b: shared },
      { d: new Date(Number.NaN) },
      { n: -0, m: Number.NaN, i: Infinity },
      [1n],
      { list: sparse },
      { "a.b": new Date(0), "a\\.b": undefined, constructor: 1 },
      JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
      { url: new URL("https://example.com/a?b=c#d"), pattern: /x.y/gi, error: new TypeError("no") },
      // An index key's own annotation after a nested one: superjson puts "0.1" before "0.0.a\\.b" (found by the
      // property above), and "7" before "2.x".
      [[{ "a.b": undefined }, undefined]],
      { 2: { x: new Date(0) }, 7: undefined, y: undefined },
      [{ a: [undefined] }, new Date(0), { b: undefined }, undefined],
    ]) {
      expectSameAsSuperjson(value);
    }
  });
});

describe("transformer.serialize", () => {
  it("is the fast serialiser with FAST_PATHS=on and superjson itself with FAST_PATHS=off", () => {
    const slowPath = vi.spyOn(superjson, "serialize");
    transformer.serialize({ id: "a", createdAt: new Date(0) });
    expect(slowPath).toHaveBeenCalledTimes(env.FAST_PATHS === "on" ? 0 : 1);
    slowPath.mockRestore();
  });
});
