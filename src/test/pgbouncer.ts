// PgBouncer (Debian's 1.18) in transaction mode in front of a PostgreSQL server, as managed PostgreSQL is usually
// reached (Neon's pooled URL is PgBouncer): for tests and the reliability scenario that run the app behind a pooler.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "@/test/free-port";

const run = promisify(execFile);
const BINARY = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find((file) => existsSync(file));

export const pgBouncerInstalled = BINARY !== undefined;

export type PgBouncer = {
  port: number;
  /** `serverUrl` with PgBouncer's address instead of the server's (same user, password and database). */
  through(serverUrl: string): string;
  log(): Promise<string>;
  stop(): Promise<void>;
};

/** PgBouncer refuses to run as root: as root it runs as the postgres user. */
async function runAs(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run("id", ["-u", "postgres"]),
    run("id", ["-g", "postgres"]),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * Starts PgBouncer in transaction mode on a free port, passing every database to the server of `serverUrl`, trusting
 * every user there is in the auth file (its user and postgres). `ignoreStartupParameters`: what it lets through and
 * drops instead of refusing (e.g. "statement_timeout", as some hosted poolers are configured).
 */
export async function startPgBouncer(
  serverUrl: string,
  { ignoreStartupParameters, poolSize = 20 }: { ignoreStartupParameters?: string; poolSize?: number } = {},
): Promise<PgBouncer> {
  if (!BINARY) throw new Error("pgbouncer not found: apt-get install -y pgbouncer");
  const server = new URL(serverUrl);
  const users = new Set(["postgres", decodeURIComponent(server.username) || "postgres"]);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "taskforge-pgbouncer-"));
  const port = await freePort();
  const file = (name: string) => path.join(dir, name);
  await fs.writeFile(file("users.txt"), [...users].map((user) => `"${user}" ""\n`).join(""));
  await fs.writeFile(
    file("pgbouncer.ini"),
    `[databases]
* = host=${server.hostname} port=${server.port || 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${file("users.txt")}
pool_mode = transaction
default_pool_size = ${poolSize}
max_client_conn = 500
logfile = ${file("pgbouncer.log")}
pidfile = ${file("pgbouncer.pid")}
${ignoreStartupParameters ? `ignore_startup_parameters = ${ignoreStartupParameters}\n` : ""}`,
  );
  const user = await runAs();
  if (user) for (const name of ["", "users.txt", "pgbouncer.ini"]) await fs.chown(file(name), user.uid, user.gid);
  const command: [string, string[]] = user
    ? ["runuser", ["-u", "postgres", "--", BINARY, "-d", file("pgbouncer.ini")]]
    : [BINARY, ["-d", file("pgbouncer.ini")]];
  await run(...command);

  const readPid = async () => Number(await fs.readFile(file("pgbouncer.pid"), "utf8").catch(() => "0")) || null;
  const log = () => fs.readFile(file("pgbouncer.log"), "utf8").catch(() => "");
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      const settle = (listening: boolean) => {
        socket.destroy();
        resolve(listening);
      };
      socket.once("connect", () => settle(true)).once("error", () => settle(false));
      socket.setTimeout(1000, () => settle(false));
    });
  for (let i = 0; !(await accepts()); i++) {
    if (i > 100) throw new Error(`pgbouncer did not listen on :${port}:\n${await log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    log,
    async stop() {
      const pid = await readPid();
      if (pid && alive(pid)) {
        process.kill(pid, "SIGTERM");
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
