// The command-line client against the app over real HTTP: sign-in, stored credentials, typed calls, JWT renewal.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "@/cli/api-client";
import { runCli } from "@/cli/commands";
import { type Credentials, credentialsStore } from "@/cli/credentials";
import { auth } from "@/server/auth";
import { revokeUserSessions } from "@/server/auth/sessions";
import { db } from "@/server/db";
import { trustedOrigins } from "@/server/http/origin";
import { createUser, signIn, type TestUser } from "@/test/fixtures";
import { enrolSecondFactor, totpCode } from "@/test/fixtures/second-factor";
import { authRequest, nextClientIp } from "@/test/http";
import { startTestServer } from "@/test/http-server";

let server: Awaited<ReturnType<typeof startTestServer>>;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  // The CLI sends its base URL as Origin, as in production where that is the app's own (BETTER_AUTH_URL). The app's
  // list of trusted origins is the one Better Auth reads at every request, so the test server's origin joins it.
  trustedOrigins.push(server.url);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "taskforge-cli-"));
});
afterAll(async () => {
  await server.close();
  await fs.rm(dir, { recursive: true, force: true });
});

let fileCounter = 0;

/**
 * A CLI with its own credentials file, as one user on one machine; `run` returns the exit code and output. Its
 * questions are answered with `answers` in turn (the password by default).
 */
function cliFor(
  user: TestUser,
  answers: () => Promise<string>[] = () => [Promise.resolve(user.password)],
  wait?: (seconds: number) => Promise<unknown>,
) {
  const store = credentialsStore(path.join(dir, `user-${++fileCounter}`, "credentials.json"));
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const pending = answers();
    const code = await runCli(argv, {
      client: createApiClient({ baseUrl: server.url, store }),
      print: (line) => out.push(line),
      printError: (line) => err.push(line),
      readPassword: () => pending.shift() ?? Promise.resolve(""),
      wait,
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  const credentials = async (): Promise<Credentials> => {
    const saved = await store.load();
    if (!saved) throw new Error("no credentials saved");
    return saved;
  };
  return { run, store, credentials };
}

async function signedInCli() {
  const user = await createUser({ name: "Cli User" });
  const cli = cliFor(user);
  expect((await cli.run("sign-in", user.email)).code).toBe(0);
  return { user, ...cli };
}

const expiredJwt = (jwt: string) => {
  const [header, payload, signature] = jwt.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
  return [header, Buffer.from(JSON.stringify({ ...claims, exp: 1 })).toString("base64url"), signature].join(".");
};

describe("npm run cli", () => {
  it("signs in and keeps the session token in a file only its owner can read", async () => {
    const user = await createUser({ name: "Cli User" });
    const { run, store, credentials } = cliFor(user);
    expect(await run("sign-in", user.email)).toEqual({
      code: 0,
      out: `Signed in as Cli User <${user.email}>.`,
      err: "",
    });
    expect((await fs.stat(store.file)).mode & 0o777).toBe(0o600);
    const saved = await credentials();
    expect(saved.sessionToken).toMatch(/^\w+\..+/);
    expect(saved.accessToken?.split(".")).toHaveLength(3);
    expect(await fs.readFile(store.file, "utf8")).not.toContain(user.password);
  });

  it("answers whoami from the typed API", async () => {
    const { user, run } = await signedInCli();
    expect(await run("whoami")).toMatchObject({ code: 0, out: `Cli User <${user.email}> (user), id ${user.id}` });
  });

  it("adds, lists and completes tasks", async () => {
    const { user, run } = await signedInCli();
    const added = await run("tasks", "add", "Write", "the", "report");
    expect(added.code).toBe(0);
    const task = await db.task.findFirstOrThrow({ where: { userId: user.id } });
    expect(task.title).toBe("Write the report");
    expect(added.out).toContain(task.id);

    expect((await run("tasks", "list")).out).toContain(`[ ] ${task.id}  Write the report`);
    expect(await run("tasks", "done", task.id)).toMatchObject({ code: 0 });
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).completed).toBe(true);
    expect((await run("tasks", "list", "--done")).out).toContain(`[x] ${task.id}`);
    expect((await run("tasks", "list", "--open")).out).toBe("No tasks.");
  });

  it("mints a new JWT before calling when the stored one has expired", async () => {
    const { run, store, credentials } = await signedInCli();
    const saved = await credentials();
    const expired = expiredJwt(saved.accessToken ?? "");
    await store.save({ ...saved, accessToken: expired });
    server.log.length = 0;
    expect((await run("whoami")).code).toBe(0);
    expect(server.log).toEqual(["GET /api/auth/token 200", "GET /api/trpc/user.me 200"]);
    expect((await credentials()).accessToken).not.toBe(expired);
  });

  it("mints a new JWT and retries once when the server refuses the stored one", async () => {
    const { run, store, credentials } = await signedInCli();
    const saved = await credentials();
    const [header, payload] = (saved.accessToken ?? "").split(".");
    const refused = `${header}.${payload}.${"A".repeat(86)}`; // unexpired, but the signature is wrong
    await store.save({ ...saved, accessToken: refused });
    server.log.length = 0;
    expect((await run("tasks", "add", "after a refused token")).code).toBe(0);
    expect(server.log).toEqual([
      "POST /api/trpc/task.create 401",
      "GET /api/auth/token 200",
      "POST /api/trpc/task.create 200",
    ]);
    expect((await credentials()).accessToken).not.toBe(refused);
  });

  it("signs out: the session ends on the server and the file is removed", async () => {
    const { user, run, store, credentials } = await signedInCli();
    const { sessionToken } = await credentials();
    expect(await run("sign-out")).toMatchObject({ code: 0, out: "Signed out." });
    await expect(fs.stat(store.file)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const mint = await fetch(`${server.url}/api/auth/token`, { headers: { authorization: `Bearer ${sessionToken}` } });
    expect(mint.status).toBe(401);
    expect(await run("whoami")).toMatchObject({ code: 1, err: expect.stringMatching(/Not signed in/) });
  });

  it("asks to sign in again when the session was revoked elsewhere", async () => {
    const { user, run, store, credentials } = await signedInCli();
    await store.save({ ...(await credentials()), accessToken: undefined });
    // Through Better Auth, as every revocation in the app, so a Redis copy (when configured) goes too.
    await revokeUserSessions(user.id, "signed-out-everywhere");
    expect(await run("whoami")).toMatchObject({ code: 1, err: expect.stringMatching(/session has ended/) });
    expect(await store.load()).toBeNull();
  });

  it("reports a wrong password with the server's message", async () => {
    const user = await createUser();
    const { run } = cliFor({ ...user, password: "not-the-Password-77" });
    expect(await run("sign-in", user.email)).toMatchObject({
      code: 1,
      err: "Error: Sign-in failed: Invalid email or password",
    });
  });

  it("shows the usage for an unknown command", async () => {
    const { run } = cliFor(await createUser());
    expect(await run("tasks", "explode")).toMatchObject({ code: 2, err: expect.stringMatching(/^Usage:/) });
  });

  it("asks for the second-factor code when the account has one, and refuses a wrong one", async () => {
    // Every sign-in here comes from 127.0.0.1: this test starts the address's sign-in window again for its own two
    // (in the database, or in Redis when it keeps the limits).
    const key = "127.0.0.1|/sign-in/email";
    await db.rateLimit.deleteMany({ where: { key } });
    await auth.options.secondaryStorage?.delete(key);
    const user = await createUser({ name: "Cli Twofactor" });
    const { totpURI } = await enrolSecondFactor(user);
    const wrong = cliFor(user, () => [Promise.resolve(user.password), Promise.resolve("000000")]);
    const refused = await wrong.run("sign-in", user.email);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/Sign-in failed/);
    expect(await wrong.store.load()).toBeNull();

    const right = cliFor(user, () => [Promise.resolve(user.password), totpCode(totpURI, 1)]);
    expect(await right.run("sign-in", user.email)).toMatchObject({
      code: 0,
      out: `Signed in as Cli Twofactor <${user.email}>.`,
    });
  });
});

describe("npm run cli -- sign-in (through the browser)", () => {
  /**
   * `sign-in` without a password, with the person at the browser doing `decision` during the CLI's second pause (its
   * first poll finds the code pending). Pauses are not waited out: the code's last poll is forgotten instead.
   */
  async function deviceSignIn(user: TestUser, decision: "approve" | "deny" | "nothing") {
    const store = credentialsStore(path.join(dir, `device-${++fileCounter}`, "credentials.json"));
    const out: string[] = [];
    const err: string[] = [];
    const waits: number[] = [];
    const code = await runCli(["sign-in"], {
      client: createApiClient({ baseUrl: server.url, store }),
      print: (line) => out.push(line),
      printError: (line) => err.push(line),
      readPassword: () => Promise.reject(new Error("a device sign-in asks for no password")),
      async wait(seconds) {
        waits.push(seconds);
        const userCode = /code ([A-Z0-9]{8})/.exec(out.join("\n"))?.[1] ?? "";
        if (waits.length === 2 && decision !== "nothing") {
          const cookie = (await signIn(user)).headers.get("cookie") ?? "";
          const ip = nextClientIp();
          await authRequest(`/device?user_code=${userCode}`, { headers: { cookie }, ip });
          await authRequest(`/device/${decision}`, { body: { userCode }, headers: { cookie }, ip });
        }
        // The third pause of a code nobody acts on: let it run out.
        if (waits.length === 3 && decision === "nothing")
          await db.deviceCode.updateMany({ where: { userCode }, data: { expiresAt: new Date(Date.now() - 1000) } });
        if (waits.length !== 2 || decision !== "nothing")
          await db.deviceCode.updateMany({ where: { userCode }, data: { lastPolledAt: null } });
      },
    });
    return { code, out: out.join("\n"), err: err.join("\n"), waits, store };
  }

  it("prints a link and a code, waits for the approval, and keeps a session token like a password sign-in", async () => {
    const user = await createUser({ name: "Cli Device" });
    const result = await deviceSignIn(user, "approve");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/open http:\/\/\S+\/device\?user_code=[A-Z0-9]{8}/);
    expect(result.out).toContain(`Signed in as Cli Device <${user.email}>.`);
    expect(result.waits).toEqual([5, 5]);
    expect((await result.store.load())?.sessionToken).toMatch(/^[^.]+\..+$/);
  });

  it("says so when the sign-in is denied in the browser, and keeps nothing", async () => {
    const result = await deviceSignIn(await createUser(), "deny");
    expect(result).toMatchObject({ code: 1, err: "Error: Sign-in denied in the browser." });
    expect(await result.store.load()).toBeNull();
  });

  it("waits 5 s longer after slow_down, and stops when the code expires", async () => {
    const result = await deviceSignIn(await createUser(), "nothing");
    // Pending, then too early (slow_down: 5 s more), then expired.
    expect(result.waits).toEqual([5, 5, 10]);
    expect(result).toMatchObject({ code: 1, err: expect.stringMatching(/code expired/) });
  });
});
