// tRPC's transformer: superjson, with a faster serialiser for what procedures return almost always (plain objects,
// arrays, strings, finite numbers, booleans, null, undefined and valid Dates, no object twice). Its output is
// byte-for-byte what superjson.serialize gives (proven by a property test), so every client keeps using superjson;
// anything else is handed to superjson itself. A fast path: with FAST_PATHS=off responses are serialised by superjson
// itself, and transformer.test.ts holds the fast one to superjson's output. Inputs are deserialised by
// superjson only once their `meta` asks for no more than our clients send (deserializeInput below), either way.
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { env } from "@/env";

type Annotation = ["Date"] | ["undefined"];
type SuperJSONResult = ReturnType<typeof superjson.serialize>;

/** Thrown inside the walk when a value needs superjson's full treatment. */
const FALLBACK = Symbol("fallback");

const RISKY_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const escapeKey = (key: string) => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");

/** A key JavaScript puts before every other key of an object, whatever the insertion order: an array index. */
const isIndexKey = (key: string) => /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4_294_967_295;

/** superjson.serialize's exact output, faster for plain rows; what the differential test compares with superjson. */
export function fastSerialize(root: unknown): SuperJSONResult {
  // Top-level scalars and non-plain values are rare: superjson handles them (its root annotations differ).
  if (root === null || typeof root !== "object" || !isPlainContainer(root)) return superjson.serialize(root);
  const values: Record<string, Annotation> = {};
  let annotations = 0;
  const seen = new Set<object>();

  function walk(value: unknown, path: string): unknown {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        if (Number.isFinite(value) && !Object.is(value, -0)) return value;
        throw FALLBACK;
      case "undefined":
        values[path] = ["undefined"];
        annotations++;
        return null;
      case "object": {
        if (value === null) return null;
        if (value instanceof Date && Object.getPrototypeOf(value) === Date.prototype) {
          if (Number.isNaN(value.getTime())) throw FALLBACK;
          values[path] = ["Date"];
          annotations++;
          return value.toISOString();
        }
        return container(value, `${path}.`);
      }
      default:
        throw FALLBACK;
    }
  }

  /**
   * After `item` (at `key`) added annotations: whether its container now has some from a nested child. superjson
   * gathers each container's annotations in an object of its own, where an index key ("1": a Date or undefined right
   * in it) goes before the keys of nested children ("0.a") whatever the order they came in. Paths here are written
   * in the order they are met, so such a container (rare: [{ a: undefined }, undefined]) is left to superjson.
   */
  function annotatedBy(item: unknown, key: string, nestedAnnotated: boolean): boolean {
    const direct = item === undefined || item instanceof Date;
    if (direct && nestedAnnotated && isIndexKey(key)) throw FALLBACK;
    return nestedAnnotated || !direct;
  }

  function container(value: object, prefix: string): unknown {
    if (!isPlainContainer(value) || seen.has(value)) throw FALLBACK;
    seen.add(value);
    let nestedAnnotated = false;
    if (Array.isArray(value)) {
      const items: unknown[] = new Array(value.length);
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) throw FALLBACK; // a hole in a sparse array
        const before = annotations;
        items[index] = walk(value[index], `${prefix}${index}`);
        if (annotations !== before) nestedAnnotated = annotatedBy(value[index], String(index), nestedAnnotated);
      }
      return items;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (RISKY_KEYS.has(key)) throw FALLBACK; // superjson refuses them (prototype pollution); so do we, through it
      const before = annotations;
      out[key] = walk(item, `${prefix}${escapeKey(key)}`);
      if (annotations !== before) nestedAnnotated = annotatedBy(item, key, nestedAnnotated);
    }
    return out;
  }

  try {
    const json = container(root, "") as SuperJSONResult["json"];
    return annotations > 0 ? { json, meta: { values, v: 1 } } : { json };
  } catch (error) {
    if (error === FALLBACK) return superjson.serialize(root);
    throw error;
  }
}

function isPlainContainer(value: object): boolean {
  if (value === Object.prototype) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return proto === Array.prototype;
  return proto === Object.prototype || proto === null;
}

/** The annotations our clients' inputs carry: Dates, and undefined inside an object or array. */
const INPUT_ANNOTATIONS = new Set(["Date", "undefined"]);
/** More annotated values than any input of ours has (a handful of Dates). */
export const MAX_INPUT_ANNOTATIONS = 100;
/** Deeper than any input of ours nests a Date (one or two levels). */
export const MAX_INPUT_PATH_DEPTH = 8;

const refuseInput = (reason: string) =>
  new TRPCError({ code: "BAD_REQUEST", message: `The input's superjson annotations are not accepted: ${reason}.` });

const isAnnotation = (value: unknown) =>
  Array.isArray(value) && value.length === 1 && typeof value[0] === "string" && INPUT_ANNOTATIONS.has(value[0]);

/**
 * superjson applies `meta` with work that grows with the product of its paths and the containers they walk (a path
 * into a Set walks the Set; every referential equality is such a walk): seconds of CPU for a 256 KiB body. So before
 * superjson sees an input, its meta may hold only Date and undefined annotations (flat, as our clients' superjson
 * writes them), at most MAX_INPUT_ANNOTATIONS of them, MAX_INPUT_PATH_DEPTH deep, and no referential equalities (our
 * inputs never hold one object twice). Anything else is a BAD_REQUEST.
 */
function checkInputMeta(payload: unknown): void {
  if (typeof payload !== "object" || payload === null || !("meta" in payload) || payload.meta === undefined) return;
  const { meta } = payload;
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) throw refuseInput("meta is not an object");
  for (const key of Object.keys(meta)) {
    if (key === "referentialEqualities") throw refuseInput("referential equalities");
    if (key !== "values" && key !== "v") throw refuseInput(`unknown key ${JSON.stringify(key.slice(0, 40))}`);
  }
  const values: unknown = "values" in meta ? meta.values : undefined;
  if (values === undefined || isAnnotation(values)) return;
  if (typeof values !== "object" || values === null || Array.isArray(values)) throw refuseInput("malformed values");
  const entries = Object.entries(values);
  if (entries.length > MAX_INPUT_ANNOTATIONS) throw refuseInput(`more than ${MAX_INPUT_ANNOTATIONS} annotated values`);
  for (const [path, annotation] of entries) {
    if (!isAnnotation(annotation)) throw refuseInput("only Date and undefined values");
    if (path.split(".").length > MAX_INPUT_PATH_DEPTH) throw refuseInput(`a path deeper than ${MAX_INPUT_PATH_DEPTH}`);
  }
}

function deserializeInput(payload: unknown): unknown {
  checkInputMeta(payload);
  return superjson.deserialize(payload as SuperJSONResult);
}

/** The server deserialises only inputs (what it reads back from clients), and serialises only outputs. */
export const transformer = {
  serialize: env.FAST_PATHS === "on" ? fastSerialize : (value: unknown) => superjson.serialize(value),
  deserialize: deserializeInput,
};
