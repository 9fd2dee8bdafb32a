// The path a request is routed on, whatever spelling of it the client sent.

/** Escapes of unreserved characters (letters, digits, "-", ".", "_", "~"), which mean the character itself. */
const UNRESERVED_ESCAPE = /%(3[0-9]|4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a]|2d|2e|5f|7e)/gi;

/** The path of a request target: origin form ("/a?b"), or absolute form ("http://host/a?b", sent to proxies). */
function pathOfTarget(target: string): string | null {
  if (target.startsWith("/") || target.startsWith("\\")) return target.split(/[?#]/, 1)[0] ?? "/";
  const url = URL.parse(target);
  return url && (url.protocol === "http:" || url.protocol === "https:") ? url.pathname : null;
}

/**
 * The normal form of a request target's path: backslashes read as slashes, repeated slashes collapsed, dot segments
 * ("." and "..", plain or escaped) resolved and escapes of unreserved characters decoded (RFC 3986, section 6.2.2),
 * until nothing changes; no query. So "/./api", "/%2e/api", "//api", "/api/./x", "/%61pi" and "http://host/api" are
 * all "/api...". Null for a target that is not a path ("*").
 */
export function normalisedPath(target: string): string | null {
  let path = pathOfTarget(target);
  for (let previous = null; path !== null && path !== previous;) {
    previous = path;
    const resolved: string = new URL(`http://host${path.replace(/[\\/]+/g, "/")}`).pathname;
    path = resolved.replace(UNRESERVED_ESCAPE, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
  }
  return path;
}

/** The query of a request target ("?a=b"), or "" when it has none; never its fragment. */
export function queryOf(target: string): string {
  const query = target.indexOf("?");
  return query === -1 ? "" : (target.slice(query).split("#", 1)[0] ?? "");
}
