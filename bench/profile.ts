// `npx tsx bench/profile.ts [--last SECONDS] FILE.cpuprofile [...]`: where a server's CPU time went, by layer (the
// package or part of the app each sampled function belongs to) and by function, from V8 CPU profiles such as
// `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" BENCH_STEPS=… npm run bench` writes. Self time only: a
// layer's figure is the time spent in its own code, not in what it calls. `--last 12` keeps the profile's last 12
// seconds: one step's warm-up and run, without the start-up (module loading) before them.
import fs from "node:fs/promises";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** The layer a function belongs to, from its script's URL (node_modules package, the app's own code, Node). */
function layerOf({ functionName, url }: CallFrame): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:") || !url.includes("/")) return "node";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const [scope = "", name = ""] = url.slice(modules + "node_modules/".length).split("/");
    const pkg = scope.startsWith("@") ? `${scope}/${name}` : scope;
    if (pkg.startsWith("@prisma/") || pkg === "pglite-prisma-adapter") return "prisma";
    if (pkg.startsWith("@trpc/")) return "trpc";
    if (pkg === "better-auth" || pkg.startsWith("@better-auth/") || pkg === "better-call") return "better-auth";
    if (pkg === "pg" || pkg.startsWith("pg-")) return "pg";
    if (pkg === "next" || pkg.startsWith("@next/")) return "next";
    return pkg;
  }
  if (url.includes("/.next/")) return "next (bundled app code)";
  if (url.includes("/src/")) return "app (src/)";
  return "other";
}

type Totals = Map<string, number>;

function add(totals: Totals, key: string, micros: number) {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

async function summarise(file: string, lastSeconds: number) {
  const profile = JSON.parse(await fs.readFile(file, "utf8")) as Profile;
  const elapsed = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
  const from = elapsed - lastSeconds * 1e6;
  let at = 0;
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const layers: Totals = new Map();
  const functions: Totals = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    at += micros;
    if (!frame || frame.functionName === "(idle)" || at < from) return;
    total += micros;
    add(layers, layerOf(frame), micros);
    const where = frame.url
      ? `${frame.url.replace(/^.*node_modules\//, "").replace(/^.*\/src\//, "src/")}:${frame.lineNumber + 1}`
      : "";
    add(functions, `${frame.functionName || "(anonymous)"} ${where}`.trim(), micros);
  });
  const share = (micros: number) => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;
  const top = (totals: Totals, count: number) => [...totals].sort((a, b) => b[1] - a[1]).slice(0, count);
  console.info(`\n${file}: ${(total / 1e6).toFixed(1)} s of CPU, not idle\n\nby layer (self time):`);
  for (const [layer, micros] of top(layers, 20)) console.info(`  ${share(micros)}  ${layer}`);
  console.info("\nby function (self time):");
  for (const [name, micros] of top(functions, 25)) console.info(`  ${share(micros)}  ${name}`);
}

const args = process.argv.slice(2);
const last = args[0] === "--last" ? Number(args[1]) : Number.POSITIVE_INFINITY;
const files = args[0] === "--last" ? args.slice(2) : args;
if (!files.length || Number.isNaN(last)) {
  console.error("usage: npx tsx bench/profile.ts [--last SECONDS] FILE.cpuprofile [...]");
  process.exit(2);
}
for (const file of files) await summarise(file, last);
