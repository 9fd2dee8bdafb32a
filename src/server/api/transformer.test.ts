// The fast serialiser must be indistinguishable from superjson: same bytes for any value, and a round trip
// through superjson.deserialize gives the value back.
import fc from "fast-check";
import superjson from "superjson";
import { describe, expect, it, vi } from "vitest";
import { transformer } from "@/server/api/transformer";

const bytes = (value: unknown) => JSON.stringify(value);

/** The serialised bytes, or the error thrown (superjson refuses some values, e.g. a `__proto__` key). */
function outcome(serialize: (value: unknown) => unknown, value: unknown): string {
  try {
    return bytes(serialize(value));
  } catch (error) {
    return `threw ${error instanceof Error ? error.message : String(error)}`;
  }
}

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
  key: fc.oneof(fc.string(), fc.constantFrom("a.b", "a\\b", "\\.", "__proto__", "constructor", "prototype", "0", "")),
});

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

describe("transformer.serialize", () => {
  it("gives superjson's exact output for any value", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(outcome(transformer.serialize, value)).toBe(outcome((v) => superjson.serialize(v), value));
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives superjson's exact output for pages of rows, which it serialises itself", () => {
    fc.assert(
      fc.property(page, (value) => {
        const slowPath = vi.spyOn(superjson, "serialize");
        const fast = transformer.serialize(value);
        expect(slowPath).not.toHaveBeenCalled();
        slowPath.mockRestore();
        expect(bytes(fast)).toBe(bytes(superjson.serialize(value)));
        expect(superjson.deserialize(JSON.parse(bytes(fast)))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps shared references, invalid dates and special numbers through superjson", () => {
    const shared = { id: 1 };
    for (const value of [
      { a: shared, b: shared },
      { d: new Date(Number.NaN) },
      { n: -0, m: Number.NaN, i: Infinity },
      [1n],
    ]) {
      expect(bytes(transformer.serialize(value))).toBe(bytes(superjson.serialize(value)));
    }
  });
});
