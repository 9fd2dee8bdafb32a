// Redis faults with two app instances on the script's own PostgreSQL cluster and Redis server: Redis stopped, then
// Redis hanging (CLIENT PAUSE). While it is unavailable, sessions and limits fall back to the database with a logged
// warning — limits still answer 429, counted across both instances — and when it is back, the app returns to it
// without serving any session copy that missed a sign-out made meanwhile.
import { randomBytes } from "node:crypto";
import { startMailCapture } from "../../src/test/mail-capture";
import {
  type AppClient,
  PASSWORD,
  type Reply,
  appClient,
  cookieFrom,
  nextIp,
  replies,
  uniqueEmail,
  verifiedUser,
} from "./harness/client";
import { Report, countBy, formatCounts, kindOf, leakIn, runScript } from "./harness/report";
import {
  type AppInstance,
  appPort,
  onCleanup,
  sql,
  startApp,
  startPostgresCluster,
  startRedisServer,
} from "./harness/services";

const COMMAND_TIMEOUT_MS = 1000; // REDIS_COMMAND_TIMEOUT_MS's default
const ANSWER_WITHIN_MS = COMMAND_TIMEOUT_MS + 2000;
const PAUSE_MS = 5000;
const MUTATION_LIMIT = 20;
const LIMIT = 10; // per IP on /sign-in/email, and failed sign-ins per account
const WARNING = "[redis] unavailable";
const BACK = "[redis] answering again";

const report = new Report("Redis faults (two instances, PostgreSQL + Redis of their own)");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statuses = (list: Reply[]) => list.map((reply) => reply.status).join(" ");
const count = (text: string, needle: string) => text.split(needle).length - 1;

/** The session token inside a session cookie (`<token>.<signature>`), as Better Auth keys it in Redis. */
function sessionToken(cookie: string): string {
  const value = cookie.split("=").slice(1).join("=");
  return decodeURIComponent(value).split(".")[0] ?? "";
}

await runScript(report, async () => {
  const cluster = await startPostgresCluster();
  await sql(cluster.url, "CREATE DATABASE taskforge");
  const redis = await startRedisServer();
  const mail = await startMailCapture();
  onCleanup("mail capture", mail.close);
  const [portA, portB] = [await appPort(), await appPort()];
  const publicUrl = `http://127.0.0.1:${portA}`;
  const env = {
    DATABASE_URL: cluster.url.replace(/\/postgres$/, "/taskforge"),
    REDIS_URL: redis.url,
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
    BETTER_AUTH_URL: publicUrl,
    TRUSTED_PROXY_HOPS: "1",
    SMTP_URL: mail.smtpUrl,
    MUTATION_RATE_LIMIT: String(MUTATION_LIMIT),
  };
  const started = performance.now();
  const instances = await Promise.all([startApp("instance A", portA, env), startApp("instance B", portB, env)]);
  report.figure(
    "start-up",
    `2 × npm start (migrations, concurrently) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const [a, b] = instances.map((instance) => appClient(instance.url, publicUrl)) as [AppClient, AppClient];
  const me = (app: AppClient, cookie: string) => app.query("user.me", cookie);
  const cached = async (cookie: string) =>
    (await redis.cli("exists", `taskforge:auth:${sessionToken(cookie)}`)) === "1";

  const newUser = (label: string) => verifiedUser(a, mail.apiUrl, uniqueEmail(label));
  const [user, throttled, busy] = await Promise.all([newUser("user"), newUser("throttled"), newUser("busy")]);
  const first = cookieFrom(await a.signIn(user.email));
  report.check("with Redis up, a new session is kept in Redis", await cached(first));

  const outageReplies: Reply[] = [];
  const during = async (reply: Promise<Reply>) => {
    const r = await reply;
    outageReplies.push(r);
    return r;
  };

  /* Fault 1: Redis stopped. --------------------------------------------------------------------------------- */
  await redis.stop();
  {
    const sessionOnA = await during(me(a, first));
    const sessionOnB = await during(me(b, first));
    report.check(
      "Redis stopped: existing sessions keep working on both instances (read from the database)",
      sessionOnA.status === 200 && sessionOnB.status === 200,
      `A ${kindOf(sessionOnA)} in ${Math.round(sessionOnA.ms)} ms, B ${kindOf(sessionOnB)} in ${Math.round(sessionOnB.ms)} ms`,
    );
    const signIn = await during(b.signIn(user.email));
    const second = cookieFrom(signIn);
    const onA = await during(me(a, second));
    const signOut = await during(a.signOut(second));
    const afterSignOut = await during(me(b, second));
    report.check(
      "Redis stopped: sign-in on B works on A; sign-out on A holds at once on B",
      signIn.status === 200 && onA.status === 200 && signOut.status === 200 && afterSignOut.code === "UNAUTHORIZED",
      `sign-in ${signIn.status}, on A ${onA.status}, sign-out ${signOut.status}, then on B ${kindOf(afterSignOut)}`,
    );

    const ip = nextIp();
    const attempts: Reply[] = [];
    for (let i = 0; i < LIMIT; i++)
      attempts.push(await during((i % 2 ? b : a).signIn(uniqueEmail("nobody"), "wrong-Password-000", ip)));
    const over = [
      await during(a.signIn(uniqueEmail("nobody"), "wrong-Password-000", ip)),
      await during(b.signIn(uniqueEmail("nobody"), "wrong-Password-000", ip)),
    ];
    report.check(
      `Redis stopped: the per-IP sign-in limit still answers 429 after ${LIMIT} attempts over both instances`,
      attempts.every((r) => r.status === 401) && over.every((r) => r.status === 429 && r.headers.has("retry-after")),
      `attempts ${statuses(attempts)}; then ${statuses(over)}`,
    );

    const failures: Reply[] = [];
    for (let i = 0; i < LIMIT; i++)
      failures.push(await during((i % 2 ? b : a).signIn(throttled.email, "wrong-Password-000", nextIp())));
    const right = [
      await during(a.signIn(throttled.email, PASSWORD, nextIp())),
      await during(b.signIn(throttled.email, PASSWORD, nextIp())),
    ];
    report.check(
      `Redis stopped: the failed sign-in throttle still answers 429 after ${LIMIT} failures over both instances, even for the right password`,
      failures.every((r) => r.status === 401) && right.every((r) => r.status === 429),
      `failures ${statuses(failures)}; right password ${statuses(right)}`,
    );

    const creates: Reply[] = [];
    for (let i = 0; i < MUTATION_LIMIT; i++)
      creates.push(await during((i % 2 ? b : a).mutate("task.create", { title: `task ${i}` }, busy.cookie)));
    const overLimit = await during(a.mutate("task.create", { title: "one too many" }, busy.cookie));
    report.check(
      `Redis stopped: the mutation limit (${MUTATION_LIMIT}/min) still answers TOO_MANY_REQUESTS`,
      creates.every((r) => r.status === 200) && overLimit.code === "TOO_MANY_REQUESTS",
      `${creates.filter((r) => r.status === 200).length} created, then ${kindOf(overLimit)}`,
    );

    const warned = instances.map((instance) => count(instance.log(), WARNING));
    report.check(
      "Redis stopped: each instance logged a warning",
      warned.every((n) => n >= 1),
      `warnings: A ${warned[0]}, B ${warned[1]}`,
    );
  }

  /* Redis back (empty). -------------------------------------------------------------------------------------- */
  await redis.start();
  const back = await untilBothBack(instances, [a, b], first, 1);
  const third = cookieFrom(await a.signIn(user.email));
  const firstStill = [await me(a, first), await me(b, first)];
  report.check(
    "Redis back: both instances return to it (logged) and new sessions are kept in it again; older ones still work",
    back !== null && (await cached(third)) && firstStill.every((r) => r.status === 200),
    `back after ${back === null ? "never" : `${Math.round(back)} ms`}; first session ${statuses(firstStill)}`,
  );

  /* Fault 2: Redis hangs. ------------------------------------------------------------------------------------ */
  const pauseEnds = Date.now() + PAUSE_MS;
  await redis.pause(PAUSE_MS);
  {
    // Both instances meet the silence (their calls wait for the command timeout), then stop waiting for it.
    const detectA = await during(me(a, first));
    const detectB = await during(me(b, first));
    const signOut = await during(a.signOut(third)); // Redis is skipped now: its copy of this session stays behind
    const afterOnB = await during(me(b, third));
    const quick = [await during(me(a, first)), await during(me(b, first))];
    report.check(
      `Redis hanging: calls answer within ${ANSWER_WITHIN_MS / 1000} s, then without waiting for Redis at all`,
      [detectA, detectB, signOut, afterOnB, ...quick].every((r) => r.status !== 0 && r.ms <= ANSWER_WITHIN_MS) &&
        quick.every((r) => r.ms < 500),
      `first calls ${Math.round(detectA.ms)} / ${Math.round(detectB.ms)} ms, then ${quick.map((r) => Math.round(r.ms)).join(" / ")} ms`,
    );
    report.check(
      "Redis hanging: sessions still work, and a sign-out on A holds at once on B",
      detectA.status === 200 && detectB.status === 200 && signOut.status === 200 && afterOnB.code === "UNAUTHORIZED",
      `sessions ${detectA.status} ${detectB.status}, sign-out ${signOut.status}, then on B ${kindOf(afterOnB)}`,
    );
  }
  await sleep(Math.max(0, pauseEnds - Date.now()) + 100);
  const staleCopy = await cached(third);
  report.figure("stale copy in Redis after the pause", staleCopy ? "yes (the sign-out could not reach Redis)" : "no");
  const backAgain = await untilBothBack(instances, [a, b], first, 2);
  const signedOut = [await me(a, third), await me(b, third)];
  report.check(
    "Redis answering again: the session signed out during the pause stays refused on both instances",
    backAgain !== null && signedOut.every((r) => r.code === "UNAUTHORIZED") && !(await cached(third)),
    `back after ${backAgain === null ? "never" : `${Math.round(backAgain)} ms`}; signed-out session ${signedOut.map(kindOf).join(", ")}`,
  );

  const serverErrors = replies.filter((r) => r.status >= 500 || r.status === 0);
  const leaks = replies.map(leakIn).filter((leak) => leak !== null);
  report.check(
    "no 5xx, no unanswered call, no internals in any reply",
    serverErrors.length === 0 && leaks.length === 0,
    formatCounts(countBy(serverErrors, kindOf)),
  );
  report.figure("requests", `${replies.length} (${formatCounts(countBy(replies, (r) => String(r.status)))})`);
  report.figure("faults injected", "2 (Redis stopped and restarted empty; Redis paused 5 s)");
  report.figure(
    "calls while Redis was unavailable",
    `${outageReplies.length}: ${formatCounts(countBy(outageReplies, kindOf))}`,
  );
  report.figure("max latency while unavailable", `${Math.round(Math.max(...outageReplies.map((r) => r.ms)))} ms`);
  report.figure("5xx", serverErrors.length);
  report.figure(
    "log lines",
    instances.map((i, n) => `${"AB"[n]}: ${count(i.log(), WARNING)} warnings, ${count(i.log(), BACK)} back`).join("; "),
  );
});

/** Calls both instances until each has logged its `times`-th return to Redis; the time it took, or null. */
async function untilBothBack(
  instances: AppInstance[],
  clients: AppClient[],
  cookie: string,
  times: number,
): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < 15_000) {
    if (instances.every((instance) => count(instance.log(), BACK) >= times)) return performance.now() - started;
    await Promise.all(clients.map((client) => client.query("user.me", cookie)));
    await sleep(100);
  }
  return null;
}
