// Start-up checks shared by both servers (Next's instrumentation hook and src/serve.ts): invalid configuration
// stops the process with a clear message, not at the first request; the JWT signing key exists before the first
// request, so concurrent first token requests cannot each create one.
import type { Env } from "@/env";

export async function loadConfiguration(): Promise<Env> {
  try {
    return (await import("@/env")).env;
  } catch (error) {
    console.error(`\nTaskforge cannot start. ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

export async function prepareSigningKey(): Promise<void> {
  try {
    const { ensureSigningKey } = await import("@/server/auth/signing-key");
    await ensureSigningKey();
  } catch (error) {
    // The database may be down at start: the key is then created on first use, as Better Auth does by default.
    console.warn(`Could not prepare the JWT signing key at start-up: ${error instanceof Error ? error.message : error}`);
  }
}
