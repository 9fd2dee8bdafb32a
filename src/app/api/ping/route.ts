// Liveness, the alias of /api/health: no database, no session. Also the bare-handler step of the benchmark
// ladder in bench/. Readiness, with the database, is /api/ready.
export const dynamic = "force-dynamic";

export { liveness as GET } from "@/server/http/health";
