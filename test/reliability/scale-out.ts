// Two app instances behind nginx (round-robin, X-Forwarded-For, TRUSTED_PROXY_HOPS=1) on one PostgreSQL and one
// Redis: a session is valid everywhere, a revocation on one instance holds on the other from the very next request,
// and rate limits count across instances instead of once per instance.
//
// PostgreSQL: a fresh database on RELIABILITY_POSTGRES_URL (default the local server), dropped at the end.
// Redis: RELIABILITY_REDIS_URL (default the local server), under a key prefix of this run, deleted at the end.
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { startMailCapture } from "../../src/test/mail-capture";
import {
  type AppClient,
  NEW_PASSWORD,
  PASSWORD,
  type Reply,
  appClient,
  cookieFrom,
  dataOf,
  nextIp,
  replies,
  uniqueEmail,
  verifiedUser,
} from "./harness/client";
import { Report, countBy, formatCounts, kindOf, runScript } from "./harness/report";
import { appPort, createDatabase, onCleanup, proxyPort, startApp, startNginx } from "./harness/services";

const MUTATION_LIMIT = 20;
const SIGN_IN_IP_LIMIT = 10; // src/server/auth/index.ts: "/sign-in/email" 10 per 5 minutes per IP
const SIGN_IN_ACCOUNT_LIMIT = 10; // src/server/auth/password-attempts.ts

const report = new Report("Two instances behind nginx (PostgreSQL + Redis)");

const statuses = (list: Reply[]) => list.map((reply) => reply.status).join(" ");

await runScript(report, async () => {
  const postgresUrl = process.env.RELIABILITY_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const redisUrl = process.env.RELIABILITY_REDIS_URL ?? "redis://127.0.0.1:6379";
  const run = `${process.pid}_${randomBytes(3).toString("hex")}`;
  const databaseUrl = await createDatabase(postgresUrl, `taskforge_rel_${run}`);
  const keyPrefix = `taskforge-rel-${run}:`;
  onCleanup(`Redis keys ${keyPrefix}*`, async () => {
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.unlink(...keys);
    await redis.quit();
  });
  const mail = await startMailCapture();
  onCleanup("mail capture", mail.close);

  const [portA, portB, portProxy] = [await appPort(), await appPort(), await proxyPort()];
  const publicUrl = `http://127.0.0.1:${portProxy}`;
  const adminEmail = uniqueEmail("admin");
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
    BETTER_AUTH_URL: publicUrl,
    TRUSTED_PROXY_HOPS: "1",
    ADMIN_EMAILS: adminEmail,
    // The ban below is about instances; an admin's second factor is proven by second-factor-admin.http.test.ts.
    REQUIRE_ADMIN_MFA: "false",
    SMTP_URL: mail.smtpUrl,
    MUTATION_RATE_LIMIT: String(MUTATION_LIMIT),
  };
  const started = performance.now();
  const [instanceA, instanceB] = await Promise.all([
    startApp("instance A", portA, env),
    startApp("instance B", portB, env),
  ]);
  const nginx = await startNginx(portProxy, [`127.0.0.1:${portA}`, `127.0.0.1:${portB}`]);
  report.figure(
    "start-up",
    `2 × npm start (migrations, concurrently) + nginx in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  report.figure("instances", `A :${portA}, B :${portB}, nginx :${portProxy} → both`);

  const a = appClient(instanceA.url, publicUrl);
  const b = appClient(instanceB.url, publicUrl);
  const lb = appClient(nginx.url, publicUrl);
  const me = (app: AppClient, cookie: string) => app.query("user.me", cookie);

  // nginx really spreads requests over both instances.
  const upstreams = new Set<string>();
  for (let i = 0; i < 6; i++) upstreams.add((await lb.query("health.check")).headers.get("x-upstream") ?? "?");
  report.check("nginx round-robins over both instances", upstreams.size === 2, [...upstreams].join(", "));

  // Users: signed up through nginx, verified through the link in their mail (on the public URL).
  const admin = await verifiedUser(lb, mail.apiUrl, adminEmail);
  const newUser = (label: string) => verifiedUser(lb, mail.apiUrl, uniqueEmail(label));
  const [user, banned, throttled, busy] = await Promise.all([
    newUser("user"),
    newUser("banned"),
    newUser("throttled"),
    newUser("busy"),
  ]);

  // 1. A session made on A is valid on B and through nginx.
  {
    const signedIn = await a.signIn(user.email);
    const cookie = cookieFrom(signedIn);
    const onB = await me(b, cookie);
    const throughNginx = await Promise.all(Array.from({ length: 4 }, () => me(lb, cookie)));
    const sameUser = [onB, ...throughNginx].every(
      (reply) => reply.status === 200 && dataOf<{ id: string }>(reply).id === user.id,
    );
    report.check(
      "a session made on A works on B and through nginx",
      signedIn.status === 200 && sameUser,
      `B ${onB.status}, nginx ${statuses(throughNginx)}`,
    );
  }

  // 2. Sign-out on A: the very next request on B is refused.
  {
    const cookie = cookieFrom(await a.signIn(user.email));
    const before = await me(b, cookie);
    const signOut = await a.signOut(cookie);
    const afterB = await me(b, cookie);
    const afterNginx = await Promise.all([me(lb, cookie), me(lb, cookie)]);
    report.check(
      "sign-out on A holds at once on B and through nginx (UNAUTHORIZED)",
      before.status === 200 &&
        signOut.status === 200 &&
        afterB.code === "UNAUTHORIZED" &&
        afterNginx.every((r) => r.code === "UNAUTHORIZED"),
      `before ${before.status}, sign-out ${signOut.status}, B ${kindOf(afterB)}, nginx ${afterNginx.map(kindOf).join(", ")}`,
    );
  }

  // 3. Password change on A revokes the other sessions: the next request on B is refused; only the new password works.
  {
    const other = cookieFrom(await b.signIn(user.email));
    const current = cookieFrom(await a.signIn(user.email));
    const before = await me(b, other);
    const changed = await a.changePassword(current, PASSWORD, NEW_PASSWORD);
    const afterB = await me(b, other);
    const oldPassword = await b.signIn(user.email, PASSWORD);
    const newPassword = await b.signIn(user.email, NEW_PASSWORD);
    report.check(
      "a password change on A revokes the other sessions on B at once",
      before.status === 200 && changed.status === 200 && afterB.code === "UNAUTHORIZED",
      `before ${before.status}, change ${changed.status}, other session on B ${kindOf(afterB)}`,
    );
    report.check(
      "after the change, B refuses the old password and accepts the new one",
      oldPassword.status === 401 && newPassword.status === 200,
      `old ${oldPassword.status}, new ${newPassword.status}`,
    );
  }

  // 4. A ban by an admin on A: the banned user's next request on B is refused, and B refuses their sign-in.
  {
    const victim = cookieFrom(await b.signIn(banned.email));
    const adminCookie = cookieFrom(await a.signIn(admin.email));
    const before = await me(b, victim);
    const ban = await a.mutate("user.ban", { userId: banned.id, reason: "reliability test" }, adminCookie);
    const afterB = await me(b, victim);
    const afterNginx = await me(lb, victim);
    const signIn = await b.signIn(banned.email);
    report.check(
      "a ban on A holds at once on B and through nginx (UNAUTHORIZED)",
      before.status === 200 &&
        ban.status === 200 &&
        afterB.code === "UNAUTHORIZED" &&
        afterNginx.code === "UNAUTHORIZED",
      `before ${before.status}, ban ${kindOf(ban)}, B ${kindOf(afterB)}, nginx ${kindOf(afterNginx)}`,
    );
    report.check("the banned user cannot sign in on B", signIn.status === 403, `sign-in ${signIn.status}`);
  }

  // 5. The per-IP sign-in limit counts across instances: 10 attempts from one address, alternating A and B (each for
  //    a different unknown email, so the per-account counter stays out of it), then 429 on both. Through nginx the
  //    same X-Forwarded-For claim is only what the client says: nginx appends the address it really sees, and with
  //    TRUSTED_PROXY_HOPS=1 that is the one counted, so the claimed address's limit does not apply there.
  {
    const ip = nextIp();
    const attempts: Reply[] = [];
    for (let i = 0; i < SIGN_IN_IP_LIMIT; i++)
      attempts.push(await (i % 2 ? b : a).signIn(uniqueEmail("nobody"), "wrong-Password-000", ip));
    const overA = await a.signIn(uniqueEmail("nobody"), "wrong-Password-000", ip);
    const overB = await b.signIn(uniqueEmail("nobody"), "wrong-Password-000", ip);
    const viaNginx = await lb.signIn(uniqueEmail("nobody"), "wrong-Password-000", ip);
    report.check(
      `the per-IP sign-in limit (${SIGN_IN_IP_LIMIT}) is shared: ${SIGN_IN_IP_LIMIT} attempts over A and B, then 429 on A and B`,
      attempts.every((r) => r.status === 401) &&
        [overA, overB].every((r) => r.status === 429 && Number(r.headers.get("retry-after")) > 0),
      `attempts ${statuses(attempts)}; then A ${overA.status}, B ${overB.status}`,
    );
    report.check(
      "through nginx the address counted is the one nginx saw, not the one the client claimed (not refused)",
      viaNginx.status === 401,
      `nginx ${viaNginx.status}`,
    );
  }

  // 6. The per-account throttle counts across instances: 10 wrong passwords spread over A and B from different
  //    addresses; then even the right password answers 429 on both.
  {
    const failures: Reply[] = [];
    for (let i = 0; i < SIGN_IN_ACCOUNT_LIMIT; i++)
      failures.push(await (i % 2 ? b : a).signIn(throttled.email, "wrong-Password-000", nextIp()));
    const rightOnA = await a.signIn(throttled.email, PASSWORD, nextIp());
    const rightOnB = await b.signIn(throttled.email, PASSWORD, nextIp());
    report.check(
      `the per-account failed sign-in throttle (${SIGN_IN_ACCOUNT_LIMIT}) is shared: then 429 on A and B, even for the right password`,
      failures.every((r) => r.status === 401) && rightOnA.status === 429 && rightOnB.status === 429,
      `failures ${statuses(failures)}; right password on A ${rightOnA.status}, on B ${rightOnB.status}`,
    );
  }

  // 7. The per-user mutation limit counts across instances.
  {
    const creates: Reply[] = [];
    for (let i = 0; i < MUTATION_LIMIT; i++)
      creates.push(await (i % 2 ? b : a).mutate("task.create", { title: `task ${i}` }, busy.cookie));
    const overA = await a.mutate("task.create", { title: "one too many" }, busy.cookie);
    const overB = await b.mutate("task.create", { title: "one too many" }, busy.cookie);
    const stats = dataOf<{ total: number }>(await lb.query("task.stats", busy.cookie));
    report.check(
      `the per-user mutation limit (${MUTATION_LIMIT}/min) is shared: then TOO_MANY_REQUESTS on A and B, nothing more written`,
      creates.every((r) => r.status === 200) &&
        overA.code === "TOO_MANY_REQUESTS" &&
        overB.code === "TOO_MANY_REQUESTS" &&
        stats.total === MUTATION_LIMIT,
      `${creates.filter((r) => r.status === 200).length} created; then A ${kindOf(overA)}, B ${kindOf(overB)}; tasks ${stats.total}`,
    );
  }

  const serverErrors = replies.filter((reply) => reply.status >= 500 || reply.status === 0);
  report.check(
    "no 5xx and no unanswered request",
    serverErrors.length === 0,
    formatCounts(countBy(serverErrors, kindOf)),
  );
  report.figure("requests", `${replies.length} (${formatCounts(countBy(replies, (r) => String(r.status)))})`);
  report.figure("5xx", serverErrors.length);
  report.figure("max latency", `${Math.round(Math.max(...replies.map((r) => r.ms)))} ms`);
});
