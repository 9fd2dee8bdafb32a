// Start-up: invalid configuration stops the server here, with a clear message, not at the first request; then the
// JWT signing key is made sure of before the first request.
try {
  await import("@/env");
} catch (error) {
  console.error(`\nTaskforge cannot start. ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

if (process.env.NEXT_PHASE !== "phase-production-build") {
  try {
    const { ensureSigningKey } = await import("@/server/auth/signing-key");
    await ensureSigningKey();
  } catch (error) {
    // The database may be down at start: the key is then created on first use, as Better Auth does by default.
    console.warn(`Could not prepare the JWT signing key at start-up: ${error instanceof Error ? error.message : error}`);
  }
}

export {};
