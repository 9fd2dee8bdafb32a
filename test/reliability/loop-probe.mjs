// Loaded into the server by `npm run test:soak` (NODE_OPTIONS=--import). Once a second it appends the event loop's
// delay and the heap to the file named by SOAK_PROBE_FILE, one JSON line each; on SIGUSR2 it runs a full garbage
// collection and appends the heap left after it, so that memory retained can be told from garbage not yet
// collected. Inert in every other process that inherits NODE_OPTIONS (npm, the migration step).
import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";

const file = process.env.SOAK_PROBE_FILE;
if (file && process.argv[1]?.endsWith("src/serve.ts")) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  setInterval(() => {
    const { heapUsed, rss } = process.memoryUsage();
    const line = {
      t: Date.now(),
      p50: ms(delay.percentile(50)),
      p99: ms(delay.percentile(99)),
      max: ms(delay.max),
      heapUsed,
      rss,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    delay.reset();
  }, 1_000).unref();

  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc");
  process.on("SIGUSR2", () => {
    const started = performance.now();
    gc();
    const { heapUsed, heapTotal, rss } = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({ t: Date.now(), gc: true, pauseMs: Math.round(performance.now() - started), heapUsed, heapTotal, rss })}\n`,
    );
  });
}
