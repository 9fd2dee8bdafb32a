// What a reliability script starts and stops itself: its own PostgreSQL cluster and Redis server (so faults hit
// nobody else), nginx with a generated configuration, and app instances (`npm start` of the production build).
// Everything started is registered for cleanup and stopped at exit, also when a check fails.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const PG_BIN = "/usr/lib/postgresql/15/bin";
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/* Cleanup ------------------------------------------------------------------------------------- */

const cleanups: Array<{ name: string; fn: () => Promise<void> }> = [];

/** Registers `fn` to run at exit (last registered, first run). */
export function onCleanup(name: string, fn: () => Promise<void>): void {
  cleanups.push({ name, fn });
}

export async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const { name, fn } = cleanups.pop()!;
    try {
      await fn();
    } catch (error) {
      console.error(`cleanup of ${name} failed:`, error instanceof Error ? error.message : error);
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

export async function tempDir(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `taskforge-${name}-`));
  onCleanup(`temp dir ${dir}`, () => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The first port in [from, to] nobody listens on. */
export async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free && !claimedPorts.has(port)) {
      claimedPorts.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${from}–${to}`);
}
const claimedPorts = new Set<number>();

/* PostgreSQL ---------------------------------------------------------------------------------- */

export type PostgresCluster = {
  /** The server's `postgres` database; create throwaway databases in it. */
  url: string;
  port: number;
  start(): Promise<void>;
  /** `fast`: a clean shutdown (sessions end, transactions roll back); `immediate`: a crash, recovered at start. */
  stop(mode: "fast" | "immediate"): Promise<void>;
  /** SIGSTOP to every process of the cluster: the server still accepts TCP connections but answers nothing. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
};

async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null; // initdb refuses root, nobody else
  const { stdout } = await run("id", ["-u", "postgres"]);
  const { stdout: gid } = await run("id", ["-g", "postgres"]);
  return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}

/** A throwaway PostgreSQL 15 cluster (Debian's binaries) in a temporary folder, trust auth, on its own port. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  if (!existsSync(`${PG_BIN}/initdb`)) throw new Error(`${PG_BIN}/initdb not found: apt-get install -y postgresql`);
  const dir = await tempDir("pg");
  const data = path.join(dir, "data");
  const user = await postgresUser();
  if (user) await fs.chown(dir, user.uid, user.gid);
  const asPostgres = (command: string, args: string[]) =>
    user ? run("runuser", ["-u", "postgres", "--", command, ...args]) : run(command, args);
  await asPostgres(`${PG_BIN}/initdb`, ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  const port = await freePort(55432, 55532);
  const options = `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c max_connections=100`;

  const processIds = async (): Promise<number[]> => {
    const postmaster = Number((await fs.readFile(path.join(data, "postmaster.pid"), "utf8")).split("\n")[0]);
    const { stdout } = await run("ps", ["-o", "pid=", "--ppid", String(postmaster)]).catch(() => ({ stdout: "" }));
    return [postmaster, ...stdout.split(/\s+/).filter(Boolean).map(Number)];
  };
  let frozen: number[] = [];
  const cluster: PostgresCluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await asPostgres(`${PG_BIN}/pg_ctl`, [
        "-D",
        data,
        "-l",
        path.join(dir, "server.log"),
        "-o",
        options,
        "-w",
        "-t",
        "60",
        "start",
      ]);
    },
    async stop(mode) {
      await asPostgres(`${PG_BIN}/pg_ctl`, ["-D", data, "-m", mode, "-w", "-t", "60", "stop"]);
    },
    async freeze() {
      frozen = await processIds();
      for (const pid of frozen) process.kill(pid, "SIGSTOP");
    },
    async thaw() {
      for (const pid of frozen) process.kill(pid, "SIGCONT");
      frozen = [];
    },
  };
  await cluster.start();
  onCleanup(`PostgreSQL cluster on :${port}`, async () => {
    await cluster.thaw();
    if (existsSync(path.join(data, "postmaster.pid"))) await cluster.stop("immediate");
  });
  return cluster;
}

/** A fresh database on `serverUrl`, dropped at cleanup. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await sql(serverUrl, `CREATE DATABASE ${name}`);
  onCleanup(`database ${name}`, () =>
    sql(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One statement on a connection of its own. */
export async function sql<Row extends object = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/* Redis --------------------------------------------------------------------------------------- */

export type RedisServer = {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SHUTDOWN NOSAVE: the server exits and comes back empty. */
  stop(): Promise<void>;
  /** CLIENT PAUSE: the server keeps its connections and data but answers nothing for `ms`. */
  pause(ms: number): Promise<void>;
  cli(...args: string[]): Promise<string>;
};

export async function startRedisServer(): Promise<RedisServer> {
  const dir = await tempDir("redis");
  const port = await freePort(6390, 6420);
  const cli = async (...args: string[]) =>
    (await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args])).stdout.trim();
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      await run("redis-server", [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "yes",
        "--dir",
        dir,
        "--pidfile",
        path.join(dir, "redis.pid"),
        "--logfile",
        path.join(dir, "redis.log"),
      ]);
      for (let i = 0; i < 100; i++) {
        if ((await cli("ping").catch(() => "")) === "PONG") return;
        await sleep(50);
      }
      throw new Error(`redis-server on :${port} did not start`);
    },
    async stop() {
      await cli("shutdown", "nosave").catch(() => "");
      for (let i = 0; i < 100 && existsSync(path.join(dir, "redis.pid")); i++) await sleep(50);
    },
    async pause(ms) {
      await cli("client", "pause", String(ms), "all");
    },
    cli,
  };
  await server.start();
  onCleanup(`redis-server on :${port}`, () => server.stop());
  return server;
}

/* Processes ----------------------------------------------------------------------------------- */

/** Variables the app reads. */
const APP_VARIABLES =
  /^(DATABASE_|PGLITE_|BETTER_AUTH_|TRUSTED_|ADMIN_EMAILS|REQUIRE_EMAIL|SMTP_|EMAIL_FROM|REDIS_|MUTATION_|SESSION_|NODE_ENV$|PORT$|HOSTNAME$)/;

export type Service = { name: string; child: ChildProcess; log: () => string };

const services: Service[] = [];

/** Writes the output of every process started to a folder that outlives the run; returns the folder. */
export async function keepLogs(): Promise<string | null> {
  if (services.length === 0) return null;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "taskforge-reliability-logs-"));
  for (const service of services)
    await fs.writeFile(path.join(dir, `${service.name.replace(/[^\w.-]+/g, "_")}.log`), service.log());
  return dir;
}

/** Starts a process in its own group (so stopping it stops what it started too), keeping its output. */
function startProcess(name: string, command: string, args: string[], env: Record<string, string>): Service {
  // The app's own settings never leak in from the caller's shell: only what `env` sets.
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(inherited)) if (APP_VARIABLES.test(key)) delete inherited[key];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...inherited, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  const service = { name, child, log: () => chunks.join("") };
  services.push(service);
  onCleanup(name, () => stopProcess(service));
  return service;
}

export async function stopProcess({ child }: Service): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const killed = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(killed);
}

/* nginx --------------------------------------------------------------------------------------- */

/** nginx round-robin over `upstreams`, adding the client to X-Forwarded-For and naming the instance that answered. */
export async function startNginx(port: number, upstreams: string[]): Promise<{ url: string; service: Service }> {
  if (!existsSync("/usr/sbin/nginx")) throw new Error("nginx not found: apt-get update && apt-get install -y nginx");
  const dir = await tempDir("nginx");
  const config = `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream taskforge {
${upstreams.map((upstream) => `    server ${upstream} max_fails=0;`).join("\n")}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://taskforge;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream off;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
  await fs.writeFile(path.join(dir, "nginx.conf"), config);
  await run("/usr/sbin/nginx", [
    "-t",
    "-q",
    "-p",
    dir,
    "-e",
    path.join(dir, "error.log"),
    "-c",
    path.join(dir, "nginx.conf"),
  ]);
  const service = startProcess(
    `nginx on :${port}`,
    "/usr/sbin/nginx",
    ["-p", dir, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf")],
    {},
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (service.child.exitCode !== null) throw new Error(`nginx exited: ${service.log()}`);
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return { url, service };
    await sleep(50);
  }
  throw new Error("nginx did not start listening");
}

/* The app ------------------------------------------------------------------------------------- */

export type AppInstance = Service & { url: string; port: number };

/** A free port for an app instance (3300–3389; nginx takes 3390–3399). */
export const appPort = () => freePort(3300, 3389);
export const proxyPort = () => freePort(3390, 3399);

/** `npm start` (migrations first, then the production server) on `port`; resolves once health.check answers. */
export async function startApp(name: string, port: number, env: Record<string, string>): Promise<AppInstance> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID")))
    throw new Error("No production build in .next: run `npm run build` first.");
  const service = startProcess(`${name} (npm start on :${port})`, "npm", ["start", "--silent"], {
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null)
      throw new Error(`${name} exited with ${service.child.exitCode}:\n${service.log()}`);
    const healthy = await fetch(`${url}/api/trpc/health.check`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { ...service, url, port };
    await sleep(250);
  }
  throw new Error(`${name} did not answer health.check within 120 s:\n${service.log()}`);
}
