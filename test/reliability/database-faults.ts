// PostgreSQL faults under load: the app's own throwaway cluster is stopped cleanly, crashed, and frozen (SIGSTOP:
// connections stay open and nothing answers) while signed-in users create, update and read tasks and new users sign
// up. During each outage every call must fail fast with a generic error (none hang, none leaks internals, none
// signs anybody out); after the restart the same server process must recover; and afterwards every write the app
// acknowledged must be in the database, with no half-written sign-up.
import { randomBytes } from "node:crypto";
import { startMailCapture } from "../../src/test/mail-capture";
import {
  type AppClient,
  type Reply,
  appClient,
  dataOf,
  nextIp,
  replies,
  uniqueEmail,
  verifiedUser,
} from "./harness/client";
import { Report, countBy, formatCounts, kindOf, leakIn, percentile, runScript } from "./harness/report";
import { appPort, onCleanup, sql, startApp, startPostgresCluster } from "./harness/services";

/**
 * The app's defaults (src/env.ts) bound every database call: at most 3 s waiting for a connection (a free one in
 * the pool, or a new one), then at most 6 s for the answer (5 s on the server, 1 s more by the client); plus 1 s
 * of slack for a busy 2-core machine.
 */
const FAIL_FAST_MS = 3_000 + 6_000 + 1_000;
/** A call with no answer after this is a hang. */
const HANG_MS = 30_000;
const RECOVERY_MS = 10_000;
const WORKERS = 6;
/** Longer than every bound (3 s for a connection, 6 s for an answer), so a frozen server makes calls time out. */
const OUTAGE_MS = 8_000;
const WARM_UP_MS = 4_000;
const AFTER_MS = 3_000;

type Task = { id: string; version: number; completed: boolean };
type Timed = Reply & { op: string; startedAt: number; endedAt: number };
/** From the moment a fault is injected to the first healthy answer after the restart. */
type Window = { name: string; from: number; to: number };

const report = new Report("PostgreSQL faults under load");

/** Better Auth answers a sign-up whose insert failed with 422 and a fixed message, whatever the cause. */
const isSignUpFailure = (r: Timed) =>
  r.op === "sign-up" && r.status === 422 && r.body.includes("FAILED_TO_CREATE_USER");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await runScript(report, async () => {
  const cluster = await startPostgresCluster();
  await sql(cluster.url, "CREATE DATABASE taskforge");
  const databaseUrl = cluster.url.replace(/\/postgres$/, "/taskforge");
  const mail = await startMailCapture();
  onCleanup("mail capture", mail.close);
  const port = await appPort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const instance = await startApp("app", port, {
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
    BETTER_AUTH_URL: url,
    TRUSTED_PROXY_HOPS: "1",
    SMTP_URL: mail.smtpUrl,
    MUTATION_RATE_LIMIT: "1000000",
  });
  report.figure("start-up", `npm start (migrations) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const app = appClient(url, url);
  const users = await Promise.all(Array.from({ length: WORKERS }, () => verifiedUser(app, mail.apiUrl)));
  const setupRequests = replies.length;

  // The load: each worker is one signed-in user; what the app acknowledged is remembered, to be found later.
  let running = true;
  const timed: Timed[] = [];
  const created = new Map<string, { title: string }>();
  const tasks = new Map<string, Task>(); // last acknowledged state of each task
  const signedUp: string[] = [];
  let sequence = 0;

  async function call(op: string, send: () => Promise<Reply>): Promise<Reply> {
    const startedAt = performance.now();
    const reply = await send();
    timed.push({ ...reply, op, startedAt, endedAt: performance.now() });
    if (reply.status !== 200) await sleep(50); // a client backs off a little after a failure
    return reply;
  }

  async function worker(cookie: string): Promise<void> {
    const mine: string[] = [];
    const stale = new Set<string>(); // tasks whose last update had no clear answer: read before writing again
    while (running) {
      const roll = Math.random();
      if (roll < 0.3) {
        const title = `load ${++sequence}`;
        const reply = await call("task.create", () => app.mutate("task.create", { title }, cookie, HANG_MS));
        if (reply.status === 200) {
          const task = dataOf<Task & { title: string }>(reply);
          created.set(task.id, { title });
          tasks.set(task.id, { id: task.id, version: task.version, completed: task.completed });
          mine.push(task.id);
        }
      } else if (roll < 0.45 && mine.length > 0) {
        const id = mine[Math.floor(Math.random() * mine.length)] ?? "";
        if (stale.has(id)) {
          const read = await call("task.byId", () => app.query("task.byId", cookie, { id }, HANG_MS));
          if (read.status !== 200) continue;
          const current = dataOf<Task>(read);
          tasks.set(id, { id, version: current.version, completed: current.completed });
          stale.delete(id);
        }
        const known = tasks.get(id);
        if (!known) continue;
        const reply = await call("task.update", () =>
          app.mutate("task.update", { id, version: known.version, completed: !known.completed }, cookie, HANG_MS),
        );
        if (reply.status === 200) {
          const task = dataOf<Task>(reply);
          tasks.set(id, { id, version: task.version, completed: task.completed });
        } else stale.add(id);
      } else if (roll < 0.65) await call("task.list", () => app.query("task.list", cookie, { limit: 20 }, HANG_MS));
      else if (roll < 0.82) await call("user.me", () => app.query("user.me", cookie, undefined, HANG_MS));
      else if (roll < 0.95) await call("health.check", () => app.query("health.check", undefined, undefined, HANG_MS));
      else {
        const email = uniqueEmail("load");
        const reply = await call("sign-up", () => app.signUp(email, undefined, nextIp()));
        if (reply.status === 200) signedUp.push(email);
      }
    }
  }

  async function waitUntilHealthy(client: AppClient): Promise<number | null> {
    const started = performance.now();
    while (performance.now() - started < 60_000) {
      if ((await client.query("health.check", undefined, undefined, 2000)).status === 200)
        return performance.now() - started;
      await sleep(100);
    }
    return null;
  }

  const faults: Array<{ name: string; inject: () => Promise<void>; restore: () => Promise<void> }> = [
    { name: "clean stop (pg_ctl -m fast)", inject: () => cluster.stop("fast"), restore: () => cluster.start() },
    { name: "crash (pg_ctl -m immediate)", inject: () => cluster.stop("immediate"), restore: () => cluster.start() },
    { name: "freeze (SIGSTOP)", inject: () => cluster.freeze(), restore: () => cluster.thaw() },
  ];

  const load = users.map((user) => worker(user.cookie));
  await sleep(WARM_UP_MS);
  const windows: Window[] = [];
  const recoveries: Array<{ name: string; ms: number | null }> = [];
  for (const fault of faults) {
    const from = performance.now();
    await fault.inject();
    await sleep(OUTAGE_MS);
    await fault.restore();
    const ms = await waitUntilHealthy(app);
    recoveries.push({ name: fault.name, ms });
    windows.push({ name: fault.name, from, to: performance.now() });
    await sleep(AFTER_MS);
  }
  running = false;
  await Promise.all(load);

  // What the clients saw: a call belongs to an outage when it overlaps it (calls in flight when the fault hit
  // included); "after" is what started once the app answered healthy again, up to the next fault.
  const overlaps = (r: Timed, w: Window) => r.startedAt <= w.to && r.endedAt >= w.from;
  const before = timed.filter((r) => r.endedAt < (windows[0]?.from ?? Infinity));
  const inOutage = (w: Window) => timed.filter((r) => overlaps(r, w));
  const afterOutage = (w: Window, next?: Window) =>
    timed.filter((r) => r.startedAt > w.to && r.endedAt < (next?.from ?? Infinity));
  const slowest = (list: Timed[]) =>
    [...list]
      .sort((x, y) => y.ms - x.ms)
      .slice(0, 3)
      .map((r) => `${r.op} ${kindOf(r)} ${Math.round(r.ms)} ms`)
      .join(", ");
  const byOp = (list: Timed[]) => formatCounts(countBy(list, (r) => `${r.op} ${kindOf(r)}`));
  report.check(
    "before any fault, every call succeeds",
    before.length > 0 && before.every((r) => r.status === 200),
    byOp(before.filter((r) => r.status !== 200)),
  );
  for (const [index, fault] of windows.entries()) {
    const outage = inOutage(fault);
    const after = afterOutage(fault, windows[index + 1]);
    const failed = outage.filter((r) => r.status !== 200);
    const maxMs = Math.max(0, ...outage.map((r) => r.ms));
    const recovery = recoveries[index]?.ms ?? null;
    report.check(
      `${fault.name}: every call answered within ${FAIL_FAST_MS / 1000} s, none hung`,
      outage.every((r) => r.status !== 0 && r.ms <= FAIL_FAST_MS) && failed.length > 0,
      `${outage.length} calls, ${failed.length} failed, p50 ${Math.round(
        percentile(
          outage.map((r) => r.ms),
          50,
        ),
      )} ms, slowest ${slowest(outage)}`,
    );
    report.check(
      `${fault.name}: failures are 500/503 (sign-up: Better Auth's 422 "Failed to create user") with a generic message, never UNAUTHORIZED`,
      failed.every((r) => (r.status === 500 || r.status === 503 || isSignUpFailure(r)) && leakIn(r) === null),
      formatCounts(countBy(failed, kindOf)),
    );
    report.check(
      `${fault.name}: the same server recovers within ${RECOVERY_MS / 1000} s of the restart, then every call succeeds`,
      recovery !== null && recovery <= RECOVERY_MS && after.length > 0 && after.every((r) => r.status === 200),
      `healthy after ${recovery === null ? "never" : `${Math.round(recovery)} ms`}; afterwards ${after.length} calls; failed: ${byOp(after.filter((r) => r.status !== 200))}`,
    );
    report.figure(
      `${fault.name}`,
      `${outage.length} calls during the outage: ${formatCounts(countBy(outage, kindOf))}; max ${Math.round(maxMs)} ms; healthy ${recovery === null ? "never" : `${Math.round(recovery)} ms`} after the restart`,
    );
  }
  const leaks = timed.map(leakIn).filter((leak): leak is string => leak !== null);
  report.check("no reply carries Prisma, SQL or driver text", leaks.length === 0, leaks[0] ?? "");
  report.check(
    "the server process never restarted",
    instance.child.exitCode === null && instance.child.signalCode === null,
  );

  // What the database holds.
  const ids = [...created.keys()];
  const rows = await sql<{ id: string; title: string; version: number; completed: boolean }>(
    databaseUrl,
    "SELECT id, title, version, completed FROM tasks WHERE id = ANY($1::uuid[])",
    [ids],
  );
  const found = new Map(rows.map((row) => [row.id, row]));
  const lostCreates = ids.filter((id) => found.get(id)?.title !== created.get(id)?.title);
  const lostUpdates = [...tasks.values()].filter((task) => {
    const row = found.get(task.id);
    return !row || row.version < task.version || (row.version === task.version && row.completed !== task.completed);
  });
  const signUps = await sql<{ email: string; accounts: number }>(
    databaseUrl,
    "SELECT u.email, count(a.id)::int AS accounts FROM users u LEFT JOIN accounts a ON a.user_id = u.id AND a.provider_id = 'credential' WHERE u.email = ANY($1) GROUP BY u.email",
    [signedUp],
  );
  const lostSignUps = signedUp.filter((email) => !signUps.some((row) => row.email === email));
  const [halfWritten] = await sql<{ n: number }>(
    databaseUrl,
    "SELECT count(*)::int AS n FROM users u WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.user_id = u.id)",
  );
  report.check(
    "every acknowledged task.create is in the database",
    lostCreates.length === 0,
    `${ids.length} acknowledged, ${lostCreates.length} missing`,
  );
  report.check(
    "every acknowledged task.update is in the database (no lost update)",
    lostUpdates.length === 0,
    `${tasks.size} tasks checked, ${lostUpdates.length} behind`,
  );
  report.check(
    "every acknowledged sign-up is in the database",
    lostSignUps.length === 0,
    `${signedUp.length} acknowledged, ${lostSignUps.length} missing`,
  );
  report.check(
    "no half-written sign-up (a user without a credential account)",
    halfWritten?.n === 0,
    `${halfWritten?.n ?? "?"} found`,
  );

  const load5xx = timed.filter((r) => r.status >= 500);
  report.figure("requests", `${timed.length} under load (+${setupRequests} set-up), ${WORKERS} workers`);
  report.figure("faults injected", faults.length);
  report.figure(
    "errors by kind",
    formatCounts(
      countBy(
        timed.filter((r) => r.status !== 200),
        kindOf,
      ),
    ),
  );
  report.figure("5xx", load5xx.length);
  report.figure(
    "max latency in an outage",
    `${Math.round(Math.max(0, ...windows.flatMap(inOutage).map((r) => r.ms)))} ms`,
  );
  report.figure(
    "writes acknowledged",
    `${ids.length} creates, ${signedUp.length} sign-ups, ${[...tasks.values()].filter((t) => t.version > 1).length} tasks updated`,
  );
  report.figure(
    "lost / half-written rows",
    `${lostCreates.length + lostUpdates.length + lostSignUps.length} / ${halfWritten?.n ?? "?"}`,
  );
});
