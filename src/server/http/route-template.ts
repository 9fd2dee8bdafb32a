// What the log may say about a request's path: the route it matched, never the values in it. Tokens travel in paths
// (a password reset link is /api/auth/reset-password/<token>), and a path that matches no route may be anything a
// client sent, so it is written as its endpoint and a placeholder.

/** The segment written for a path below an endpoint that matches none of its routes. */
export const UNMATCHED_ROUTE = ":unmatched";

const segmentsOf = (path: string) => path.split("/").filter((segment) => segment !== "");

/**
 * A function from a path (without its query) to what the log writes for it: for a path below `endpoint` that
 * matches one of `routes` (relative to the endpoint, parameters written `:name`), the endpoint and that route, with
 * the parameters' names instead of their values; for any other path below it, the endpoint and UNMATCHED_ROUTE.
 */
export function routeTemplates(endpoint: string, routes: readonly string[]): (path: string) => string {
  const templates = routes.map(segmentsOf);
  const base = segmentsOf(endpoint);
  return (path) => {
    const segments = segmentsOf(path);
    const below = base.every((segment, i) => segments[i] === segment) ? segments.slice(base.length) : null;
    const route = below
      ? templates.find(
          (template) =>
            template.length === below.length &&
            template.every((segment, i) => segment.startsWith(":") || segment === below[i]),
        )
      : undefined;
    return `/${[...base, ...(route ?? [UNMATCHED_ROUTE])].join("/")}`;
  };
}
