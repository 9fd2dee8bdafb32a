// Start-up inside Next.js (`next dev`, `next start`, and the server in src/serve.ts, which hosts Next).
import { loadConfiguration, prepareSigningKey } from "@/server/startup";

await loadConfiguration();
if (process.env.NEXT_PHASE !== "phase-production-build") {
  await prepareSigningKey();
  // Hourly deletion of expired audit events and rate-limit rows (src/server/retention.ts), and the mail outbox's
  // worker, which sends what an earlier run left queued.
  const [{ startRetention }, { db }, { outboxWorker }] = await Promise.all([
    import("@/server/retention"),
    import("@/server/db"),
    import("@/server/email/outbox-worker"),
  ]);
  startRetention(db);
  outboxWorker(db);
}

export {};
