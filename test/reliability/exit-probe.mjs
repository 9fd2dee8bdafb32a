// Loaded into the server by `npm run test:shutdown` (NODE_OPTIONS=--import). When the server process exits — after
// its own shutdown, while the process still exists — it counts the client backends PostgreSQL still has for the
// app's database (with psql) and writes that, with the exit code, to SHUTDOWN_PROBE_FILE. Connections the app
// closed itself are gone by then; connections it left open would be closed by the kernel only after the exit,
// which a look at pg_stat_activity afterwards cannot tell apart. Inert in every other process (npm, migrations).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const file = process.env.SHUTDOWN_PROBE_FILE;
const databaseUrl = process.env.DATABASE_URL;
if (file && databaseUrl && process.argv[1]?.endsWith("src/serve.ts")) {
  const database = new URL(databaseUrl).pathname.slice(1);
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const sql = `SELECT count(*) FROM pg_stat_activity WHERE datname = '${database}' AND backend_type = 'client backend'`;
  process.on("exit", (code) => {
    const exitAt = Date.now();
    let backends = -1;
    let tries = 0;
    let error;
    // A backend leaves pg_stat_activity a moment after its client's Terminate message: look a few times.
    while (tries < 10) {
      tries++;
      try {
        backends = Number(
          execFileSync("psql", [admin.toString(), "-Atc", sql], { encoding: "utf8", timeout: 2_000 }).trim(),
        );
      } catch (cause) {
        error = cause instanceof Error ? cause.message : String(cause);
        break;
      }
      if (backends === 0) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
    writeFileSync(file, JSON.stringify({ code, exitAt, backends, tries, error }));
  });
}
