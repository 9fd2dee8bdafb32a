// Input generators for property tests: junk a client could send, and near-valid values at and past each limit.
import fc from "fast-check";
import { encodeCursor } from "@/server/api/pagination";

/**
 * fast-check settings shared by the property tests. The seed is random (fast-check prints it, with the path of the
 * failing run, when a property fails); PROPERTY_SEED=<seed> replays a run, PROPERTY_RUNS=<n> overrides the count.
 */
export function propertyParameters(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.PROPERTY_SEED;
  return { numRuns: propertyRuns(numRuns), ...(seed ? { seed: Number(seed) } : {}) };
}

const propertyRuns = (numRuns: number) => (process.env.PROPERTY_RUNS ? Number(process.env.PROPERTY_RUNS) : numRuns);

/** A test timeout for a property of `numRuns` runs (or PROPERTY_RUNS) of up to `msPerRun` each, 30 s at least. */
export function propertyTimeout(numRuns: number, msPerRun = 100): number {
  return Math.max(30_000, propertyRuns(numRuns) * msPerRun);
}

/** Characters that break naive code: NUL, a lone surrogate, BOM, right-to-left override, zero-width joiner… */
const awkwardCharacters = [
  "\u0000",
  "\uD800",
  "\uDFFF",
  "\uFEFF",
  "\u202E",
  "\u200D",
  "\u0007",
  "\n",
  "😀",
  "é",
  "𝒳",
  "%",
  "_",
  "\\",
  "'",
  '"',
];

/** Any string: ASCII, any code point (control characters included), awkward characters in between. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.string({ unit: fc.constantFrom(...awkwardCharacters, "a", " "), maxLength: 10 }),
);

/** A string of `length` copies of one character (some characters are two UTF-16 units). */
const repeated = (lengths: number[]) =>
  fc
    .tuple(fc.constantFrom(...lengths), fc.constantFrom("x", " ", "é", "😀", "\u0000", "\uD800"))
    .map(([length, character]) => character.repeat(Math.max(0, length)));

/** Strings for a field limited to `max` characters (after trimming): ordinary, empty, blank, padded, at and past the limit. */
export function textNear(max: number, min = 1): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40) }) },
    { weight: 3, arbitrary: anyString },
    { weight: 2, arbitrary: repeated([0, min - 1, min, max - 1, max, max + 1]) },
    fc
      .tuple(fc.constantFrom(" ", "\t\n", "\u00A0", "\u3000"), anyString)
      .map(([space, text]) => `${space}${text}${space}`),
    fc.constantFrom("", " ", "   "),
  );
}

/** Huge strings: well past every field's limit, some past the HTTP body limit. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("x", "😀", "\u0000", " "), fc.integer({ min: 5_000, max: 300_000 }))
  .map(([character, length]) => character.repeat(length));

/** Numbers that break naive code: NaN, ±Infinity, -0, past 32 bits, past the safe integers, fractions. */
export const awkwardNumber: fc.Arbitrary<number> = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0.5,
  -1,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  Number.MIN_VALUE,
);

/** Integers for a field allowed in [min, max]: at the edges, just past them, and the awkward ones. */
export function integerNear(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min, max }) },
    { weight: 3, arbitrary: fc.constantFrom(min - 1, min, min + 1, max - 1, max, max + 1) },
    { weight: 2, arbitrary: awkwardNumber },
    fc.integer(),
  );
}

/** Dates this century, across JavaScript's whole range, invalid ones, the edges of 4-digit years, and around now. */
export const dateNear: fc.Arbitrary<Date> = fc.oneof(
  { weight: 3, arbitrary: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z") }) },
  fc.date(),
  fc
    .constantFrom(
      "-271821-04-20T00:00:00.000Z",
      "-000001-01-01T00:00:00.000Z",
      "0000-01-01T00:00:00.000Z",
      "0001-01-01T00:00:00.000Z",
      "1970-01-01T00:00:00.000Z",
      "9999-12-31T23:59:59.999Z",
      "+010000-01-01T00:00:00.000Z",
      "+275760-09-13T00:00:00.000Z",
      "not a date",
    )
    .map((iso) => new Date(iso)),
  // Relative to now when the call is made (give or take the generation time): just past, just ahead, far ahead.
  fc.integer({ min: -86_400_000, max: 10 * 365 * 86_400_000 }).map((offset) => new Date(Date.now() + offset)),
);

/** Ids for a field that takes a UUID: random ones (no row), malformed ones, and other shapes. */
export const uuidNear: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.uuid({ version: 7 }),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.constantFrom(
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "not-a-uuid",
    "",
    "{0190a8f0-0000-7000-8000-000000000000}",
  ),
  anyString,
);

/** Ids for a field that takes a user or session id (random strings up to 64 characters). */
export const idNear: fc.Arbitrary<string> = fc.oneof(fc.uuid(), textNear(64), repeated([63, 64, 65]));

/** Pagination cursors: well-formed ones for any position and id, and forged or broken ones. */
export const cursorNear: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        dateNear.filter((date) => !Number.isNaN(date.getTime())),
        fc.oneof({ weight: 3, arbitrary: fc.uuid() }, anyString),
      )
      .map(([createdAt, id]) => encodeCursor({ createdAt, id })),
  },
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString("base64url")),
  fc
    .tuple(fc.constantFrom("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2026-02-30T00:00:00Z"), uuidNear)
    .map((position) => Buffer.from(JSON.stringify(position)).toString("base64url")),
  textNear(200, 0),
);

/** task.list's cursors: well-formed ones of each order (any key, any id), ones of the old shape, and broken ones. */
export const taskCursorNear: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom("newest", "due", "priority", "other"),
        dateNear.filter((date) => !Number.isNaN(date.getTime())).map((date) => date.toISOString()),
        fc.oneof(fc.constantFrom("low", "medium", "high", null), anyString),
        fc.oneof({ weight: 3, arbitrary: fc.uuid() }, anyString),
      )
      .map(([sort, date, priority, id]) =>
        Buffer.from(
          JSON.stringify(
            sort === "priority" ? [sort, priority, date, id] : [sort, sort === "due" ? priority && date : date, id],
          ),
        ).toString("base64url"),
      ),
  },
  cursorNear,
);

/** A nested object or array `depth` levels deep. */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 50, max: 5_000 }), fc.boolean())
  .map(([depth, arrays]) => {
    let value: unknown = "bottom";
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { title: value };
    return value;
  });

/** Objects whose keys are special to JavaScript, parsed as a server parses JSON (own `__proto__` keys). */
const trickyObject: fc.Arbitrary<unknown> = fc
  .constantFrom(
    '{"__proto__":{"role":"admin"}}',
    '{"constructor":{"prototype":{"role":"admin"}}}',
    '{"toString":1,"valueOf":2,"hasOwnProperty":3}',
    '{"title":"x","__proto__":null}',
  )
  .map((json) => JSON.parse(json) as unknown);

/**
 * Junk: anything a client could send (superjson carries dates, maps, sets, bigints, undefined and more), deep
 * values, huge strings, awkward numbers and dates, and objects with special keys.
 */
export const junkInput: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.anything({
      maxDepth: 3,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    }),
  },
  { weight: 2, arbitrary: fc.jsonValue() },
  fc.constantFrom(undefined, null, true, 0, "", [], {}, /regex/, new Error("boom"), new URL("https://example.com")),
  awkwardNumber,
  dateNear,
  hugeString,
  deepValue,
  trickyObject,
);

/** A near-valid object with one key it should not have (a client setting what it may not, or a typo). */
export function withUnknownKey(input: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      input,
      fc.oneof(fc.constantFrom("userId", "role", "id", "version", "createdAt", "__proto__", "constructor"), anyString),
      junkInput,
    )
    .map(([value, key, extra]) =>
      typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value, [key]: extra } : value,
    );
}
