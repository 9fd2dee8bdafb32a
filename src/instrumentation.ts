// Runs once when the server starts; the Node.js part lives in its own module so edge bundles never see it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("@/instrumentation-node");
}
