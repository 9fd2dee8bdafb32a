// Runs once when the server starts: invalid configuration stops it here, with a clear message, not at the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    await import("@/env");
  } catch (error) {
    console.error(`\nTaskforge cannot start. ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
