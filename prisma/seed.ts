// `npm run db:seed`: demo data and an admin account (scripts/seed/demo-data.ts), in the database the app uses:
// .env is loaded first, as the server loads it.
import "../scripts/load-env";
import { env } from "@/env";
import { db } from "@/server/db";
import { type SeededAccount, seedDemoData } from "../scripts/seed/demo-data";

const OUTCOMES: Record<SeededAccount["outcome"], string> = {
  created: "created",
  kept: "exists, kept as it is",
  "made admin": "existed without the admin role: made admin (password and tasks kept)",
  reclaimed: "existed unconfirmed: its passwords and sessions removed, confirmed with the seed's password",
};

let failed = false;
try {
  const seeded = await seedDemoData({
    adminEmail: env.SEED_ADMIN_EMAIL,
    adminPassword: env.SEED_ADMIN_PASSWORD,
    demoPassword: env.SEED_DEMO_PASSWORD,
    production: env.NODE_ENV === "production",
  });
  for (const { email, role, outcome, generatedPassword } of seeded) {
    console.info(
      `seed: ${role} ${email} ${OUTCOMES[outcome]}${generatedPassword ? ` with password ${generatedPassword}` : ""}`,
    );
  }
} catch (error) {
  console.error("seed failed:", error instanceof Error ? error.message : error);
  failed = true;
}
await db.$disconnect();
// The embedded database keeps timers running after its client disconnects (its adapter does not close it).
process.exit(failed ? 1 : 0);
