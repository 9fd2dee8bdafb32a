// Start-up checks shared by both servers (Next's instrumentation hook and src/serve.ts): invalid configuration
// stops the process with a clear message, not at the first request; the JWT signing key exists before the first
// request, so concurrent first token requests cannot each create one.
import type { Env } from "@/env";
import { createLogger } from "@/server/log-output";

export async function loadConfiguration(): Promise<Env> {
  try {
    return (await import("@/env")).env;
  } catch (error) {
    // LOG_LEVEL is part of the configuration that failed: this line is written whatever it says.
    createLogger("info").fatal(`Taskforge cannot start. ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

export async function prepareSigningKey(): Promise<void> {
  try {
    const { ensureSigningKey } = await import("@/server/auth/signing-key");
    await ensureSigningKey();
  } catch (error) {
    // The database may be down at start: the key is then created on first use, as Better Auth does by default.
    const { logger } = await import("@/server/logger");
    logger.warn({ err: error }, "could not prepare the JWT signing key at start-up; it will be created on first use");
  }
}
