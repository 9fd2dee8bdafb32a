// Liveness of the process alone (no database, no session): for load balancers, and the bare-handler step of
// the benchmark ladder in bench/. `health.check` is the readiness probe that also reaches the database.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" });
}
