// Liveness: the process answers, nothing else is checked (src/server/http/health.ts). /api/ping is an alias.
export const dynamic = "force-dynamic";

export { liveness as GET } from "@/server/http/health";
