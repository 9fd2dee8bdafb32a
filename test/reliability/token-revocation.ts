// JWT revocation across instances: two production instances behind nginx on one PostgreSQL, revocations carried by
// LISTEN/NOTIFY. A session signed out on A has its JWT refused on B within a second (median and max over 60
// sign-outs). B's LISTEN connection goes through a relay the script cuts: while it is down B
// checks sessions in the database, so sign-outs on A still hold on B at once; once the relay is restored B listens
// again and revocations arrive through the channel.
import { randomBytes } from "node:crypto";
import { startMailCapture } from "../../src/test/mail-capture";
import { startTcpProxy } from "../../src/test/tcp-proxy";
import { nextIp, uniqueEmail } from "./harness/client";
import { percentile, Report, runScript } from "./harness/report";
import { appPort, createDatabase, onCleanup, proxyPort, startApp, startNginx } from "./harness/services";

const REVOCATIONS = 60;
const DURING_CUT = 10;
const PASSWORD = "quiet-harbor-lantern-58";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const report = new Report("JWT revocation across two instances (PostgreSQL LISTEN/NOTIFY)");

type Call = { status: number; headers: Headers; body: string };

async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, headers: response.headers, body: await response.text() } satisfies Call;
}

await runScript(report, async () => {
  const postgresUrl = process.env.RELIABILITY_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const run = `${process.pid}_${randomBytes(3).toString("hex")}`;
  const databaseUrl = await createDatabase(postgresUrl, `taskforge_rev_${run}`);
  const server = new URL(databaseUrl);
  const relay = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  onCleanup("LISTEN relay", relay.close);
  const mail = await startMailCapture();
  onCleanup("mail capture", mail.close);

  const [portA, portB, portProxy] = [await appPort(), await appPort(), await proxyPort()];
  const publicUrl = `http://127.0.0.1:${portProxy}`;
  const env = {
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
    BETTER_AUTH_URL: publicUrl,
    TRUSTED_PROXY_HOPS: "1",
    REQUIRE_EMAIL_VERIFICATION: "false",
    SMTP_URL: mail.smtpUrl,
  };
  const [instanceA, instanceB] = await Promise.all([
    startApp("instance A", portA, env),
    // B listens through the relay; its queries go straight to the server.
    startApp("instance B", portB, { ...env, DATABASE_DIRECT_URL: relay.through(databaseUrl) }),
  ]);
  const nginx = await startNginx(portProxy, [`127.0.0.1:${portA}`, `127.0.0.1:${portB}`]);
  report.figure("instances", `A :${portA}, B :${portB} (LISTEN through a relay), nginx :${portProxy}`);

  const auth = (base: string, route: string, body: unknown, headers: Record<string, string> = {}) =>
    call(`${base}/api/auth${route}`, { body, headers: { origin: publicUrl, "x-forwarded-for": nextIp(), ...headers } });
  const me = (base: string, jwt: string) =>
    call(`${base}/api/trpc/user.me`, { headers: { authorization: `Bearer ${jwt}` } });

  /** A new session (its bearer token, from A) and a JWT minted on B. */
  async function session(email: string): Promise<{ sessionToken: string; jwt: string }> {
    const signedIn = await auth(instanceA.url, "/sign-in/email", { email, password: PASSWORD });
    const sessionToken = signedIn.headers.get("set-auth-token");
    if (signedIn.status !== 200 || !sessionToken) throw new Error(`sign-in: ${signedIn.status} ${signedIn.body}`);
    const minted = await call(`${instanceB.url}/api/auth/token`, {
      headers: { authorization: `Bearer ${sessionToken}`, "x-forwarded-for": nextIp() },
    });
    if (minted.status !== 200) throw new Error(`token: ${minted.status} ${minted.body}`);
    const jwt = (JSON.parse(minted.body) as { token: string }).token;
    const works = await me(instanceB.url, jwt);
    if (works.status !== 200) throw new Error(`a fresh JWT on B: ${works.status} ${works.body}`);
    return { sessionToken, jwt };
  }

  /** Milliseconds from the end of `revoke` (answered by A) to B's first refusal of `jwt`; Infinity after 5 s. */
  async function delayOnB(jwt: string, revoke: () => Promise<Call>): Promise<number> {
    const revoked = await revoke();
    if (revoked.status !== 200) throw new Error(`revocation: ${revoked.status} ${revoked.body}`);
    const done = performance.now();
    while (performance.now() - done < 5000) {
      if ((await me(instanceB.url, jwt)).status === 401) return performance.now() - done;
      await sleep(5);
    }
    return Number.POSITIVE_INFINITY;
  }
  const signOut = (sessionToken: string) => () =>
    auth(instanceA.url, "/sign-out", {}, { authorization: `Bearer ${sessionToken}` });

  const email = uniqueEmail("revoked");
  const signedUp = await auth(nginx.url, "/sign-up/email", { name: "Revoked", email, password: PASSWORD });
  if (signedUp.status !== 200) throw new Error(`sign-up: ${signedUp.status} ${signedUp.body}`);

  // 1. Sign-outs on A, each JWT refused on B: the figures of the run.
  const delays: number[] = [];
  for (let i = 0; i < REVOCATIONS; i++) {
    const { sessionToken, jwt } = await session(email);
    delays.push(await delayOnB(jwt, signOut(sessionToken)));
  }
  const [median, max] = [percentile(delays, 50), Math.max(...delays)];
  report.figure(
    "sign-out on A → JWT refused on B",
    `median ${median.toFixed(0)} ms, max ${max.toFixed(0)} ms (n=${delays.length})`,
  );
  report.check(
    `${REVOCATIONS} sign-outs on A: each JWT refused on B within 1 s`,
    max < 1000,
    `max ${max.toFixed(0)} ms`,
  );

  // 2. B's channel cut: sign-outs on A still hold on B at once (B checks the database).
  relay.cut();
  await sleep(500);
  const cutDelays: number[] = [];
  for (let i = 0; i < DURING_CUT; i++) {
    const { sessionToken, jwt } = await session(email);
    cutDelays.push(await delayOnB(jwt, signOut(sessionToken)));
  }
  const cutMax = Math.max(...cutDelays);
  report.figure(
    "while B's channel is cut",
    `median ${percentile(cutDelays, 50).toFixed(0)} ms, max ${cutMax.toFixed(0)} ms (n=${cutDelays.length})`,
  );
  report.check(
    `channel cut: ${DURING_CUT} sign-outs on A refused on B within 1 s (database check)`,
    cutMax < 1000,
    `max ${cutMax.toFixed(0)} ms`,
  );
  const logB = instanceB.log();
  report.check(
    "B noticed its channel was down",
    logB.includes("channel down"),
    logB.includes("channel down") ? "logged" : "no log line",
  );

  // 3. Restored: B listens again and revocations arrive through the channel.
  const beforeRestore = await session(email);
  relay.restore();
  const upAgain = performance.now();
  while (performance.now() - upAgain < 10_000 && (instanceB.log().match(/channel up/g) ?? []).length < 2)
    await sleep(50);
  report.check(
    "B listens again after the relay is restored",
    (instanceB.log().match(/channel up/g) ?? []).length >= 2,
    `${((performance.now() - upAgain) / 1000).toFixed(1)} s`,
  );
  const afterDelays: number[] = [];
  for (let i = 0; i < DURING_CUT; i++) {
    const { sessionToken, jwt } = await session(email);
    afterDelays.push(await delayOnB(jwt, signOut(sessionToken)));
  }
  afterDelays.push(await delayOnB(beforeRestore.jwt, signOut(beforeRestore.sessionToken)));
  const afterMax = Math.max(...afterDelays);
  report.figure(
    "after the channel is back",
    `median ${percentile(afterDelays, 50).toFixed(0)} ms, max ${afterMax.toFixed(0)} ms (n=${afterDelays.length})`,
  );
  report.check(
    "restored: sign-outs on A refused on B within 1 s, a JWT minted before the restore included",
    afterMax < 1000,
    `max ${afterMax.toFixed(0)} ms`,
  );
});
