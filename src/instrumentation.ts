// Runs once when the server starts: invalid configuration stops it here, with a clear message, not at the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("@/env");
}
