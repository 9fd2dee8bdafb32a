// Start-up inside Next.js (`next dev`, `next start`, and the server in src/serve.ts, which hosts Next).
import { loadConfiguration, prepareSigningKey } from "@/server/startup";

await loadConfiguration();
if (process.env.NEXT_PHASE !== "phase-production-build") await prepareSigningKey();

export {};
