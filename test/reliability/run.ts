// `npm run test:reliability`: each reliability script in its own process, one after the other (they start servers
// of their own); exits non-zero when any of them failed. Builds nothing: `npm run build` first.
import { spawn } from "node:child_process";
import path from "node:path";

const SCRIPTS = [
  "scale-out.ts",
  "database-faults.ts",
  "redis-faults.ts",
  "mail-outage.ts",
  "pooler.ts",
  "token-revocation.ts",
];

function runScript(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, file)], {
      stdio: "inherit",
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const started = performance.now();
const results: Array<[string, number, number]> = [];
for (const file of SCRIPTS) {
  const scriptStarted = performance.now();
  results.push([file, await runScript(file), (performance.now() - scriptStarted) / 1000]);
}
console.info("\n=== reliability");
for (const [file, code, seconds] of results)
  console.info(`  ${code === 0 ? "pass" : "FAIL"}  ${file.padEnd(20)} ${seconds.toFixed(0)} s`);
console.info(`  total ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(results.some(([, code]) => code !== 0) ? 1 : 0);
