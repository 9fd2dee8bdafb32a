// Start-up checks: invalid configuration stops the server here, with a clear message, not at the first request.
try {
  await import("@/env");
} catch (error) {
  console.error(`\nTaskforge cannot start. ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

export {};
