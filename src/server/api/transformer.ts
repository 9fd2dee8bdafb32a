// tRPC's transformer: superjson, with a faster serialiser for what procedures return almost always (plain objects,
// arrays, strings, finite numbers, booleans, null, undefined and valid Dates, no object twice). Its output is
// byte-for-byte what superjson.serialize gives (proven by a property test), so every client keeps using superjson;
// anything else is handed to superjson itself.
import superjson from "superjson";

type Annotation = ["Date"] | ["undefined"];
type SuperJSONResult = ReturnType<typeof superjson.serialize>;

/** Thrown inside the walk when a value needs superjson's full treatment. */
const FALLBACK = Symbol("fallback");

const RISKY_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const escapeKey = (key: string) => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");

function fastSerialize(root: unknown): SuperJSONResult {
  // Top-level scalars and non-plain values are rare: superjson handles them (its root annotations differ).
  if (root === null || typeof root !== "object" || !isPlainContainer(root)) return superjson.serialize(root);
  const values: Record<string, Annotation> = {};
  let annotated = false;
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
        annotated = true;
        return null;
      case "object": {
        if (value === null) return null;
        if (value instanceof Date && Object.getPrototypeOf(value) === Date.prototype) {
          if (Number.isNaN(value.getTime())) throw FALLBACK;
          values[path] = ["Date"];
          annotated = true;
          return value.toISOString();
        }
        return container(value, `${path}.`);
      }
      default:
        throw FALLBACK;
    }
  }

  function container(value: object, prefix: string): unknown {
    if (!isPlainContainer(value) || seen.has(value)) throw FALLBACK;
    seen.add(value);
    if (Array.isArray(value)) {
      const items: unknown[] = new Array(value.length);
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) throw FALLBACK; // a hole in a sparse array
        items[index] = walk(value[index], `${prefix}${index}`);
      }
      return items;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (RISKY_KEYS.has(key)) throw FALLBACK; // superjson refuses them (prototype pollution); so do we, through it
      out[key] = walk(item, `${prefix}${escapeKey(key)}`);
    }
    return out;
  }

  try {
    const json = container(root, "") as SuperJSONResult["json"];
    return annotated ? { json, meta: { values, v: 1 } } : { json };
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

export const transformer = {
  serialize: fastSerialize,
  deserialize: superjson.deserialize.bind(superjson),
};
