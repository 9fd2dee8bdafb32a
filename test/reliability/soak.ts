// `npm run test:soak`: the production server (`npm start`) on a fresh PostgreSQL database, first driven as hard
// as it goes for SOAK_PEAK_SECONDS (10) to measure its peak, then held at SOAK_LOAD_FRACTION (0.7) of that peak
// for SOAK_SECONDS (300), the first SOAK_WARMUP_SECONDS (60) counting as warm-up. Every 10 s it samples
// throughput, latency, status codes, the server process's RSS and CPU, and its event-loop delay; every 30 s the
// server runs a full garbage collection, after which RSS and the live heap are read. Fails (exit 1) unless every
// response is 2xx with no errors or timeouts, the offered rate was delivered, p99 of the last minute is within
// 1.5× of the first minute after warm-up, and RSS and the live heap grew less than 10 % after warm-up.
// Writes test/reliability/SOAK.md. Builds nothing: run `npm run build` first.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import {
  cleanUp,
  cpuTicks,
  createDatabase,
  newSecret,
  percentile,
  queryPath,
  requireBuild,
  rssKiB,
  ROOT,
  seedUsers,
  setting,
  startServer,
  type Server,
} from "./load-server";
import { mintJwts } from "../../src/test/fixtures/served-jwts";

const settings = {
  soakSeconds: setting("SOAK_SECONDS", 300),
  warmupSeconds: setting("SOAK_WARMUP_SECONDS", 60),
  peakSeconds: setting("SOAK_PEAK_SECONDS", 10),
  loadFraction: setting("SOAK_LOAD_FRACTION", 0.7),
  sampleSeconds: 10,
  connections: 32,
  users: setting("SOAK_USERS", 200),
  tasksPerUser: 25,
};
/** Warm-up and comparison windows shrink for short runs (SOAK_SECONDS below 180). */
const warmup = Math.min(settings.warmupSeconds, Math.floor(settings.soakSeconds / 3));
const compared = Math.min(60, Math.floor((settings.soakSeconds - warmup) / 2));
const P99_RATIO = 1.5;
const P99_SLACK_MS = 5;
const RSS_GROWTH = 0.1;
/** A full garbage collection in the server every this many seconds, and 5 s before the end: see the RSS rule. */
const GC_EVERY = 30;
const DELIVERED = 0.9;

// ---- the mix: one pass of a connection's sequence is 10 requests, 7 reads and 3 writes -------------------------

type Context = { user?: number; task?: { id: string; version: number } };
type Credentials = { cookies: string[]; jwts: string[]; origin: string };
type Kind =
  | "task.list cookie"
  | "task.list JWT"
  | "user.me cookie"
  | "user.me JWT"
  | "task.create"
  | "task.update"
  | "task.delete";

function mix(credentials: Credentials): { kinds: Kind[]; requests: autocannon.Request[] } {
  const { cookies, jwts, origin } = credentials;
  let next = 0;
  const someone = () => next++ % cookies.length;
  const list = queryPath("task.list", { limit: 20 });
  const me = queryPath("user.me");
  const read = (route: string, auth: "cookie" | "jwt"): autocannon.Request => ({
    setupRequest: (request) => {
      const user = someone();
      const headers = auth === "cookie" ? { cookie: cookies[user] } : { authorization: `Bearer ${jwts[user]}` };
      return { ...request, method: "GET", path: route, headers, body: undefined };
    },
  });
  const write = (procedure: string, input: (context: Context) => unknown): autocannon.Request => ({
    setupRequest: (request, context) => {
      const ctx = context as Context;
      ctx.user ??= someone();
      return {
        ...request,
        method: "POST",
        path: `/api/trpc/${procedure}`,
        headers: { cookie: cookies[ctx.user], origin, "content-type": "application/json" },
        body: JSON.stringify({ json: input(ctx) }),
      };
    },
  });
  const create = write("task.create", () => ({ title: `Soak ${randomBytes(6).toString("hex")}`, priority: "medium" }));
  create.onResponse = (status, body, context) => {
    if (status !== 200) return;
    const { id, version } = (JSON.parse(body) as { result: { data: { json: { id: string; version: number } } } }).result
      .data.json;
    (context as Context).task = { id, version };
  };
  // Without a task (the create failed, which already counts), these two still send: a 404 then counts too.
  const none = { id: "00000000-0000-4000-8000-000000000000", version: 1 };
  const update = write("task.update", (ctx) => ({ ...(ctx.task ?? none), completed: true }));
  const remove = write("task.delete", (ctx) => ({ id: (ctx.task ?? none).id }));
  const sequence: Array<[Kind, autocannon.Request]> = [
    ["task.list cookie", read(list, "cookie")],
    ["task.list JWT", read(list, "jwt")],
    ["user.me cookie", read(me, "cookie")],
    ["task.create", create],
    ["task.list cookie", read(list, "cookie")],
    ["task.update", update],
    ["task.list JWT", read(list, "jwt")],
    ["user.me JWT", read(me, "jwt")],
    ["task.list cookie", read(list, "cookie")],
    ["task.delete", remove],
  ];
  return { kinds: sequence.map(([kind]) => kind), requests: sequence.map(([, request]) => request) };
}

/** Each request of the mix once, for one user: anything but 200 stops the check before any load. */
async function checkMix(base: string, credentials: Credentials): Promise<void> {
  const list = queryPath("task.list", { limit: 20 });
  const cookie = { cookie: credentials.cookies[0] ?? "" };
  const post = (procedure: string, input: unknown) =>
    fetch(`${base}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { ...cookie, origin: credentials.origin, "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
  const expect200 = async (what: string, response: Response) => {
    if (response.status !== 200) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
    return response;
  };
  await expect200("task.list (cookie)", await fetch(`${base}${list}`, { headers: cookie }));
  await expect200(
    "task.list (JWT)",
    await fetch(`${base}${list}`, { headers: { authorization: `Bearer ${credentials.jwts[0]}` } }),
  );
  await expect200("user.me", await fetch(`${base}${queryPath("user.me")}`, { headers: cookie }));
  const created = await expect200("task.create", await post("task.create", { title: "Soak check" }));
  const { id, version } = ((await created.json()) as { result: { data: { json: { id: string; version: number } } } })
    .result.data.json;
  await expect200("task.update", await post("task.update", { id, version, completed: true }));
  await expect200("task.delete", await post("task.delete", { id }));
}

// ---- measuring ------------------------------------------------------------------------------------------------

type Bucket = { latencies: number[]; statuses: Map<number, number>; errors: Map<string, number> };
type Sample = {
  second: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  status5xx: number;
  errors: number;
  rssMiB: number;
  heapMiB: number;
  cpuPercent: number;
  loopP99: number;
  loopMax: number;
  /** The machine's 1-minute load average (2 cores: above 2, processes wait for a CPU). */
  load: number;
};

const newBucket = (): Bucket => ({ latencies: [], statuses: new Map(), errors: new Map() });
const add = (map: Map<string | number, number>, key: string | number, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
const sum = (map: Map<unknown, number>) => [...map.values()].reduce((a, b) => a + b, 0);
const non2xx = (bucket: Bucket) =>
  sum(new Map([...bucket.statuses].filter(([status]) => status < 200 || status > 299)));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function merge(buckets: Bucket[]): Bucket {
  const merged = newBucket();
  for (const bucket of buckets) {
    for (const latency of bucket.latencies) merged.latencies.push(latency);
    for (const [status, n] of bucket.statuses) add(merged.statuses, status, n);
    for (const [error, n] of bucket.errors) add(merged.errors, error, n);
  }
  return merged;
}

type ProbeLine = {
  t: number;
  gc?: true;
  pauseMs?: number;
  p50: number;
  p99: number;
  max: number;
  heapUsed: number;
  heapTotal?: number;
  rss: number;
};
function probeLines(file: string, from: number, to: number): ProbeLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProbeLine)
    .filter((line) => line.t > from && line.t <= to);
}

/** RSS and heap after a full garbage collection in the server (loop-probe.mjs, on SIGUSR2). */
type AfterGc = {
  second: number;
  rssMiB: number;
  heapMiB: number;
  committedMiB: number;
  pauseMs: number;
  rssBeforeMiB: number;
};
async function collectGarbage(server: Server, probeFile: string, second: number): Promise<AfterGc> {
  const sent = Date.now();
  const rssBeforeMiB = round((rssKiB(server.pid) ?? Number.NaN) / 1024);
  process.kill(server.pid, "SIGUSR2");
  // V8 hands freed pages back while it sweeps, just after the collection: read RSS a moment later.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const line = probeLines(probeFile, sent - 1, Date.now()).find((l) => l.gc);
  if (!line) throw new Error("the server did not report a garbage collection (is loop-probe.mjs loaded?)");
  return {
    second,
    rssMiB: round((rssKiB(server.pid) ?? Number.NaN) / 1024),
    heapMiB: round(line.heapUsed / 2 ** 20),
    committedMiB: round((line.heapTotal ?? Number.NaN) / 2 ** 20),
    pauseMs: line.pauseMs ?? Number.NaN,
    rssBeforeMiB,
  };
}

/** Runs autocannon on the mix, recording every response into 1-per-`sampleSeconds` buckets, and a sample per bucket. */
async function drive(
  server: Server,
  credentials: Credentials,
  probeFile: string,
  seconds: number,
  overallRate?: number,
  gcAt: number[] = [],
): Promise<{ buckets: Bucket[]; samples: Sample[]; gcs: AfterGc[]; result: autocannon.Result }> {
  const { requests } = mix(credentials);
  const buckets: Bucket[] = [];
  const samples: Sample[] = [];
  const started = Date.now();
  const bucket = () => (buckets[Math.floor((Date.now() - started) / (settings.sampleSeconds * 1000))] ??= newBucket());
  let lastTicks = cpuTicks(server.pid) ?? 0;
  let lastTime = started;
  const sample = () => {
    const now = Date.now();
    const index = samples.length;
    const current = buckets[index] ?? newBucket();
    const ticks = cpuTicks(server.pid) ?? lastTicks;
    const probe = probeLines(probeFile, lastTime, now).filter((line) => !line.gc);
    const count = current.latencies.length;
    samples.push({
      second: Math.round((now - started) / 1000),
      requestsPerSecond: round(sum(current.statuses) / ((now - lastTime) / 1000), 0),
      p50: round(percentile(current.latencies, 50)),
      p99: round(percentile(current.latencies, 99)),
      non2xx: non2xx(current),
      status5xx: sum(new Map([...current.statuses].filter(([status]) => status >= 500))),
      errors: sum(current.errors),
      rssMiB: round((rssKiB(server.pid) ?? Number.NaN) / 1024),
      heapMiB: round((probe.at(-1)?.heapUsed ?? Number.NaN) / 2 ** 20),
      cpuPercent: round(((ticks - lastTicks) / 100 / ((now - lastTime) / 1000)) * 100, 0),
      loopP99: probe.length ? Math.max(...probe.map((line) => line.p99)) : Number.NaN,
      loopMax: probe.length ? Math.max(...probe.map((line) => line.max)) : Number.NaN,
      load: round(os.loadavg()[0] ?? Number.NaN, 1),
    });
    lastTicks = ticks;
    lastTime = now;
    const s = samples.at(-1) as Sample;
    if (overallRate) {
      console.info(
        `${String(s.second).padStart(4)} s  ${String(s.requestsPerSecond).padStart(5)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms  ` +
          `non-2xx ${s.non2xx}  errors ${s.errors}  RSS ${s.rssMiB} MiB  heap ${s.heapMiB} MiB  CPU ${s.cpuPercent} %  loop p99 ${s.loopP99} ms  load ${s.load}  (${count} responses)`,
      );
    }
  };
  const timer = setInterval(sample, settings.sampleSeconds * 1000);
  const gcs: Promise<AfterGc>[] = [];
  const gcTimers = gcAt.map((second) =>
    setTimeout(() => gcs.push(collectGarbage(server, probeFile, second)), second * 1000),
  );
  let finish: (error: Error | null, result: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result));
  });
  const instance = autocannon(
    {
      url: server.base,
      connections: settings.connections,
      pipelining: 1,
      duration: seconds,
      requests,
      timeout: 10,
      ...(overallRate ? { overallRate, ignoreCoordinatedOmission: true } : {}),
    },
    (error, result) => finish(error, result),
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    const current = bucket();
    current.latencies.push(responseTime);
    add(current.statuses, statusCode);
  });
  instance.on("reqError", (error: unknown) =>
    add(bucket().errors, error instanceof Error ? error.message : String(error)),
  );
  const result = await finished;
  clearInterval(timer);
  gcTimers.forEach(clearTimeout);
  // The last, possibly partial, period.
  if (buckets.length > samples.length) sample();
  return { buckets, samples, gcs: await Promise.all(gcs), result };
}

// ---- claims and report ------------------------------------------------------------------------------------------

type Claim = { claim: string; measured: string; pass: boolean };

function bucketsBetween(buckets: Bucket[], fromSecond: number, toSecond: number): Bucket[] {
  const from = Math.floor(fromSecond / settings.sampleSeconds);
  const to = Math.ceil(toSecond / settings.sampleSeconds);
  return buckets.slice(from, to);
}

function evaluate(peak: number, rate: number, buckets: Bucket[], samples: Sample[], gcs: AfterGc[]) {
  const all = merge(buckets);
  const total = sum(all.statuses);
  const seconds = settings.soakSeconds;
  const first = merge(bucketsBetween(buckets, warmup, warmup + compared));
  const last = merge(bucketsBetween(buckets, seconds - compared, seconds));
  const firstP99 = percentile(first.latencies, 99);
  const lastP99 = percentile(last.latencies, 99);
  // The readings after full collections in the same two windows as p99, each window's median.
  const median = (values: number[]) => percentile(values, 50);
  const firstReadings = gcs.filter((g) => g.second >= warmup && g.second <= warmup + compared);
  const lastReadings = gcs.filter((g) => g.second >= seconds - compared);
  const rssFirst = median(firstReadings.map((g) => g.rssMiB));
  const rssLast = median(lastReadings.map((g) => g.rssMiB));
  const heapFirst = median(firstReadings.map((g) => g.heapMiB));
  const heapLast = median(lastReadings.map((g) => g.heapMiB));
  const growth = (rssLast - rssFirst) / rssFirst;
  const heapGrowth = (heapLast - heapFirst) / heapFirst;
  const list = (readings: AfterGc[], pick: (g: AfterGc) => number) => readings.map(pick).join(", ");
  const afterWarmup = samples.filter((s) => s.second > warmup);
  const rssMin = Math.min(...afterWarmup.map((s) => s.rssMiB));
  const rssMax = Math.max(...afterWarmup.map((s) => s.rssMiB));
  const percent = (value: number) => `${value >= 0 ? "+" : ""}${round(value * 100)} %`;
  const delivered = total / seconds;
  const byStatus = [...all.statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}: ${n}`)
    .join(", ");
  const errors = [...all.errors].map(([message, n]) => `${message}: ${n}`).join(", ") || "none";
  const count5xx = [...all.statuses].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);
  const claims: Claim[] = [
    { claim: "no 5xx", measured: `${count5xx} of ${total.toLocaleString("en-US")} responses`, pass: count5xx === 0 },
    { claim: "every response 2xx", measured: byStatus || "no responses", pass: total > 0 && non2xx(all) === 0 },
    { claim: "no errors or timeouts", measured: errors, pass: sum(all.errors) === 0 },
    {
      claim: `offered rate delivered (≥ ${DELIVERED * 100} % of ${rate} req/s)`,
      measured: `${round(delivered, 0)} req/s`,
      pass: delivered >= DELIVERED * rate,
    },
    {
      claim: `p99 stable: last ${compared} s ≤ max(${P99_RATIO} × first ${compared} s after warm-up, that + ${P99_SLACK_MS} ms)`,
      measured: `${round(firstP99)} ms (${warmup}–${warmup + compared} s) → ${round(lastP99)} ms (${seconds - compared}–${seconds} s)`,
      pass: lastP99 <= Math.max(P99_RATIO * firstP99, firstP99 + P99_SLACK_MS),
    },
    {
      claim: `RSS growth after warm-up < ${RSS_GROWTH * 100} % (read after full collections; median of the last ${compared} s against the first ${compared} s)`,
      measured:
        `${rssFirst} MiB (${list(firstReadings, (g) => g.rssMiB)}) → ${rssLast} MiB (${list(lastReadings, (g) => g.rssMiB)}): ${percent(growth)}; ` +
        `RSS between samples ${rssMin}–${rssMax} MiB`,
      pass: firstReadings.length > 0 && lastReadings.length > 0 && growth < RSS_GROWTH,
    },
    {
      claim: `live heap growth after warm-up < ${RSS_GROWTH * 100} % (heap left by the same collections, same rule)`,
      measured: `${heapFirst} MiB (${list(firstReadings, (g) => g.heapMiB)}) → ${heapLast} MiB (${list(lastReadings, (g) => g.heapMiB)}): ${percent(heapGrowth)}`,
      pass: firstReadings.length > 0 && lastReadings.length > 0 && heapGrowth < RSS_GROWTH,
    },
  ];
  return {
    claims,
    total,
    peak,
    rate,
    delivered,
    p50: percentile(all.latencies, 50),
    p99: percentile(all.latencies, 99),
    max: Math.max(...all.latencies),
  };
}

function markdown(
  started: Date,
  peak: { requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number },
  verdict: ReturnType<typeof evaluate>,
  samples: Sample[],
  gcs: AfterGc[],
): string {
  const cpus = os.cpus();
  const ok = verdict.claims.every((c) => c.pass);
  const range = (values: number[]) => `${Math.min(...values)}–${Math.max(...values)}`;
  return `# Soak

Written by \`npm run test:soak\` (after \`npm run build\`) on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC: **${ok ? "all claims held" : "FAILED"}**.

- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; the load generator (autocannon, in the same process as this script) shares the machine with the server, and other work may have run alongside.
- Server: \`npm start\` (production build) on a fresh PostgreSQL database (dropped afterwards), ${settings.users} signed-in users with ${settings.tasksPerUser} tasks each; \`MUTATION_RATE_LIMIT\` raised to 10⁹ so the limiter never refuses (each mutation still writes its counter), \`TRUSTED_PROXY_HOPS=1\` so each user mints its JWT from its own address.
- Mix, per connection, repeated: task.list (cookie), task.list (JWT), user.me (cookie), task.create, task.list (cookie), task.update (of the task just created), task.list (JWT), user.me (JWT), task.list (cookie), task.delete (of it): 70 % reads, 30 % writes; each read is a different user (rotating over all ${settings.users}), the three writes one user's. The number of tasks stays constant.
- Peak: ${settings.connections} connections, no rate limit, ${settings.peakSeconds} s after a 5 s warm-up: **${round(peak.requestsPerSecond, 0)} req/s**, p50 ${round(peak.p50)} ms, p99 ${round(peak.p99)} ms, non-2xx ${peak.non2xx}, errors ${peak.errors}.
- Soak: ${settings.soakSeconds} s at ${settings.loadFraction * 100} % of peak = **${verdict.rate} req/s** offered (autocannon \`overallRate\`, ${settings.connections} connections; its limiter lets each connection send its share at the start of every second, so the load arrives in bursts); delivered ${round(verdict.delivered, 0)} req/s, ${verdict.total.toLocaleString("en-US")} responses, p50 ${round(verdict.p50)} ms, p99 ${round(verdict.p99)} ms, max ${round(verdict.max)} ms. Warm-up: the first ${warmup} s.
- Latency is autocannon's per-request time (sent to last byte), percentiles computed from every response. RSS is \`VmRSS\` of the node process running \`src/serve.ts\`; CPU is that process's user + system time (100 % = one core); event-loop delay is \`monitorEventLoopDelay\` inside the server (\`test/reliability/loop-probe.mjs\`, preloaded with \`NODE_OPTIONS\`), the highest per-second p99 in each period; load is the machine's 1-minute load average (above ${cpus.length}, processes wait for a CPU).
- RSS rule: left to itself, V8 collects the old generation lazily, so RSS climbs by hundreds of MiB of garbage between major collections and then falls; an RSS read at an arbitrary moment says where that cycle is, not what is retained (and one forced collection is not enough either: V8 hands pages back over several). So the probe runs a full collection every ${GC_EVERY} s and ${settings.soakSeconds - (gcs.at(-1)?.second ?? Number.NaN)} s before the end, under load (their pauses are in the latency figures), and RSS is read 2 s after each. Even so RSS after a collection still moves from one reading to the next (here ${range(gcs.filter((g) => g.second >= warmup).map((g) => g.rssMiB))} MiB after warm-up, while the heap left stays within ${range(gcs.filter((g) => g.second >= warmup).map((g) => g.heapMiB))} MiB), as V8 resizes the old space it keeps committed (its own column) with the allocation rate, which follows the machine's load; so the rule compares medians: the readings of the last ${compared} s against those of the first ${compared} s after warm-up, like p99. The heap those collections leave (live objects, the sharper test for a leak in JavaScript) follows the same rule.
- p99 rule: after warm-up, p99 of the last ${compared} s may be at most ${P99_RATIO}× that of the first ${compared} s (or ${P99_SLACK_MS} ms more, for p99s of a few ms). On a shared machine the other processes' load (the load column) moves latency as much as the server does.

| claim | measured | |
| --- | --- | --- |
${verdict.claims.map((c) => `| ${c.claim} | ${c.measured} | ${c.pass ? "✓" : "**✗**"} |`).join("\n")}

## Full garbage collections

| at s | RSS before MiB | RSS 2 s after MiB | heap left MiB | V8 heap committed MiB | pause ms |
| ---: | ---: | ---: | ---: | ---: | ---: |
${gcs.map((g) => `| ${g.second} | ${g.rssBeforeMiB} | ${g.rssMiB} | ${g.heapMiB} | ${g.committedMiB} | ${g.pauseMs} |`).join("\n")}

## Every ${settings.sampleSeconds} s

| s | req/s | p50 ms | p99 ms | non-2xx | 5xx | errors | RSS MiB | heap MiB | CPU % | loop p99 ms | loop max ms | load |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${samples.map((s) => `| ${s.second} | ${s.requestsPerSecond} | ${s.p50} | ${s.p99} | ${s.non2xx} | ${s.status5xx} | ${s.errors} | ${s.rssMiB} | ${s.heapMiB} | ${s.cpuPercent} | ${s.loopP99} | ${s.loopMax} | ${s.load} |`).join("\n")}
`;
}

async function main(): Promise<boolean> {
  requireBuild();
  const started = new Date();
  const secret = newSecret();
  console.info(
    `soak: ${settings.soakSeconds} s at ${settings.loadFraction * 100} % of peak (warm-up ${warmup} s, p99 windows ${compared} s)`,
  );
  const database = await createDatabase("soak");
  const cookies = await seedUsers(database, secret, settings.users, settings.tasksPerUser);
  const probeFile = path.join(os.tmpdir(), `taskforge-soak-probe-${process.pid}.jsonl`);
  rmSync(probeFile, { force: true });
  const server = await startServer(database, secret, {
    // Measured, not hit: every mutation still counts against the limit (one database write), it just never refuses.
    MUTATION_RATE_LIMIT: "1000000000",
    SOAK_PROBE_FILE: probeFile,
    NODE_OPTIONS: `--import ${path.join(ROOT, "test", "reliability", "loop-probe.mjs")}`,
  });
  console.info(`server: pid ${server.pid} on ${server.base}`);
  const credentials = { cookies, jwts: await mintJwts(server.base, cookies), origin: server.origin };
  await checkMix(server.base, credentials);

  await drive(server, credentials, probeFile, 5);
  const peakRun = await drive(server, credentials, probeFile, settings.peakSeconds);
  const peakAll = merge(peakRun.buckets);
  const peak = {
    requestsPerSecond: sum(peakAll.statuses) / settings.peakSeconds,
    p50: percentile(peakAll.latencies, 50),
    p99: percentile(peakAll.latencies, 99),
    non2xx: non2xx(peakAll),
    errors: sum(peakAll.errors),
  };
  const rate = Math.round(peak.requestsPerSecond * settings.loadFraction);
  console.info(
    `peak: ${round(peak.requestsPerSecond, 0)} req/s (p99 ${round(peak.p99)} ms, non-2xx ${peak.non2xx}, errors ${peak.errors}); soaking at ${rate} req/s`,
  );

  // Access tokens live 10 minutes: in a long soak they are renewed, as a client would.
  const renew = setInterval(() => {
    void mintJwts(server.base, cookies).then((tokens) => tokens.forEach((token, i) => (credentials.jwts[i] = token)));
  }, 8 * 60_000);
  const gcAt = [
    ...new Set([
      ...Array.from({ length: Math.floor((settings.soakSeconds - 10) / GC_EVERY) }, (_, i) => GC_EVERY * (i + 1)),
      warmup,
      settings.soakSeconds - 5,
    ]),
  ].sort((a, b) => a - b);
  const soak = await drive(server, credentials, probeFile, settings.soakSeconds, rate, gcAt);
  clearInterval(renew);
  const verdict = evaluate(peak.requestsPerSecond, rate, soak.buckets, soak.samples, soak.gcs);
  const report = markdown(started, peak, verdict, soak.samples, soak.gcs);
  await fs.writeFile(path.join(ROOT, "test", "reliability", "SOAK.md"), report);
  rmSync(probeFile, { force: true });

  console.info("");
  for (const c of verdict.claims) console.info(`${c.pass ? "ok  " : "FAIL"}  ${c.claim}: ${c.measured}`);
  const serverErrors = server.log.filter((line) => /error|failed/i.test(line));
  if (serverErrors.length > 0)
    console.info(
      `server log, lines with "error" or "failed" (${serverErrors.length}):\n${serverErrors.slice(0, 10).join("\n")}`,
    );
  console.info("wrote test/reliability/SOAK.md");
  return verdict.claims.every((c) => c.pass);
}

main()
  .then(async (ok) => {
    await cleanUp();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    console.error("soak failed:", error instanceof Error ? error.message : error);
    await cleanUp();
    process.exit(1);
  });
