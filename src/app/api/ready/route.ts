// Readiness: the database answers within a short timeout, or 503 with Retry-After (src/server/http/health.ts).
import { db } from "@/server/db";
import { createReadinessProbe } from "@/server/http/health";

export const dynamic = "force-dynamic";

export const GET = createReadinessProbe(db);
