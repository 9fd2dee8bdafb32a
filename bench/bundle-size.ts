// What the browser downloads: the JavaScript of a first visit to each page of the production build.
//
// Measured in the browser: `npm start` on a throwaway PostgreSQL database (127.0.0.1:5432, dropped at the end),
// headless Chromium (Debian's /usr/bin/chromium) with an empty cache opens each page (signed in where the page
// needs it) and every script response until the network is idle is counted: raw bytes, and gzip bytes (each file
// gzipped at level 6, as `next start` compresses it). Link prefetches (requests marked `next-router-prefetch`) are
// refused, so the figures are the page's own first load, not the pages it links to.
// Cross-check from the build: Next 16 (Turbopack) no longer prints "First Load JS", so the same figure is also
// computed from .next — the root main files of build-manifest.json plus the layout's and the page's
// `entryJSFiles` in its page_client-reference-manifest.js — and the two are compared file by file.
//
// Each file is also searched for two things a page should not carry unless it needs them: Better Auth's client
// SDK (src/lib/auth-client.ts) and zxcvbn's dictionaries. Builds nothing: run `npm run build` first.
// `npm run bench:bundle` prints the markdown section; `measureBundles` and `renderBundles` are for the main run.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import pg from "pg";
import type { SessionCookie } from "../src/server/auth/session-cookie-format";
import { insertSessions, insertUsers } from "../src/test/fixtures/sql";
import { freePort } from "../src/test/free-port";
import { createDatabase, migrate } from "./fixture";

const ROOT = path.resolve(import.meta.dirname, "..");
const NEXT = path.join(ROOT, ".next");

type Viewer = "nobody" | "user" | "admin";

/** The pages measured, and who opens them (a signed-out visitor is sent away from the protected ones). */
export const PAGES: Array<{ route: string; viewer: Viewer; appPage: string }> = [
  { route: "/", viewer: "nobody", appPage: "page" },
  { route: "/sign-in", viewer: "nobody", appPage: "sign-in/page" },
  { route: "/sign-up", viewer: "nobody", appPage: "sign-up/page" },
  { route: "/tasks", viewer: "user", appPage: "tasks/page" },
  { route: "/settings", viewer: "user", appPage: "settings/page" },
  { route: "/admin/users", viewer: "admin", appPage: "admin/users/page" },
];

/** Text only these libraries' code contains (checked on the built chunks: no other chunk has them). */
const MARKERS = {
  "Better Auth client": (code: string) => code.includes("$sessionSignal"),
  zxcvbn: (code: string) => /\bqwerty\b/.test(code) && code.includes("dvorak"),
} as const;

export type Library = keyof typeof MARKERS;
export type JsFile = { file: string; raw: number; gzip: number; contains: Library[] };
export type PageBundle = {
  route: string;
  viewer: Viewer;
  /** Scripts the browser downloaded on a first visit. */
  files: JsFile[];
  raw: number;
  gzip: number;
  contains: Library[];
  /** The same page's first-load JS from the build's manifests. */
  manifest: { files: string[]; raw: number; gzip: number };
  /** Files seen in one measure and not in the other (empty when they agree). */
  onlyInBrowser: string[];
  onlyInManifest: string[];
};
export type BundleResult = { date: string; buildId: string; chromium: string; pages: PageBundle[] };

export type BundleOptions = { serverUrl?: string; chromiumPath?: string; log?: (line: string) => void };

// ---- the build's own account ----

function fileFacts(file: string, code: Buffer): JsFile {
  const text = code.toString("utf8");
  const contains = (Object.keys(MARKERS) as Library[]).filter((library) => MARKERS[library](text));
  return { file, raw: code.length, gzip: gzipSync(code, { level: 6 }).length, contains };
}

/** First-load JS of `appPage` by the manifests: root main files, then the layout's and the page's entry chunks. */
function manifestFiles(appPage: string): string[] {
  const build = JSON.parse(readFileSync(path.join(NEXT, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const file = path.join(NEXT, "server", "app", `${appPage}_client-reference-manifest.js`);
  const sandbox = { __RSC_MANIFEST: {} as Record<string, { entryJSFiles: Record<string, string[]> }> };
  // The manifest is a script assigning to globalThis.__RSC_MANIFEST; run it against a stand-in.
  new Function("globalThis", readFileSync(file, "utf8"))(sandbox);
  const entries = sandbox.__RSC_MANIFEST[`/${appPage}`]?.entryJSFiles ?? {};
  const files = [
    ...build.rootMainFiles,
    ...(entries["[project]/src/app/layout"] ?? []),
    ...(entries[`[project]/src/app/${appPage}`] ?? []),
  ];
  return [...new Set(files.map((f) => `/_next/${f}`))];
}

// ---- the server and the browser ----

async function startServer(databaseUrl: string, secret: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  // Its own process group, so stopping it also stops what npm started (next).
  const child = spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: secret,
      BETTER_AUTH_URL: base,
      PORT: String(port),
    },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/ping`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("npm start did not answer /api/ping within 60 s");
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid, "SIGTERM");
  return exited;
}

/** A user with one task and a session in the database, and that session's cookie for the production server. */
async function sessionFor(client: pg.Client, role: "user" | "admin", secret: string): Promise<SessionCookie> {
  const id = randomUUID();
  await insertUsers(client, [
    { id, name: `Bundle ${role}`, email: `bundle-${role}-${id.slice(0, 8)}@example.com`, role },
  ]);
  await client.query(
    `INSERT INTO tasks (id, title, user_id, updated_at) VALUES (gen_random_uuid(), 'A task', $1, now())`,
    [id],
  );
  const [session] = await insertSessions(client, [{ id }], { secret, secure: true });
  if (!session) throw new Error(`no session for the ${role}`);
  return session.cookie;
}

// ---- the run ----

export async function measureBundles(options: BundleOptions = {}): Promise<BundleResult> {
  const log = options.log ?? ((line: string) => console.info(line));
  if (!existsSync(path.join(NEXT, "BUILD_ID")))
    throw new Error("No production build in .next: run `npm run build` first.");
  const buildId = readFileSync(path.join(NEXT, "BUILD_ID"), "utf8").trim();
  const serverUrl =
    options.serverUrl ?? process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const secret = randomBytes(32).toString("base64url");
  const database = await createDatabase(serverUrl);
  let server: ChildProcess | undefined;
  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-dev-shm-usage",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
    ],
  });
  try {
    await migrate(database.url);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const cookies = {
      user: await sessionFor(client, "user", secret),
      admin: await sessionFor(client, "admin", secret),
    };
    await client.end();
    const started = await startServer(database.url, secret);
    server = started.child;
    log(`bundles: build ${buildId}, ${started.base}`);

    const pages: PageBundle[] = [];
    for (const { route, viewer, appPage } of PAGES) {
      const context = await browser.newContext(); // an empty cache: a first visit
      if (viewer !== "nobody") {
        await context.addCookies([
          // Production's cookie (Secure, __Secure- prefix); Chromium accepts it on http://localhost.
          {
            name: cookies[viewer].name,
            value: cookies[viewer].value,
            domain: "localhost",
            path: "/",
            httpOnly: true,
            secure: true,
            sameSite: "Lax",
          },
        ]);
      }
      const page = await context.newPage();
      // Prefetches of linked pages are the next page's load, not this one's.
      await page.route("**/*", (request) =>
        request.request().headers()["next-router-prefetch"] ? request.abort() : request.continue(),
      );
      const scripts: Array<Promise<JsFile | null>> = [];
      page.on("response", (response) => {
        if (response.request().resourceType() !== "script") return;
        const url = new URL(response.url());
        scripts.push(
          response.body().then(
            (body) => fileFacts(url.pathname, body),
            () => null,
          ),
        );
      });
      const response = await page.goto(`${started.base}${route}`, { waitUntil: "networkidle" });
      const landed = new URL(page.url()).pathname;
      if (!response?.ok() || landed !== route)
        throw new Error(`${route} as ${viewer}: ${response?.status()} at ${landed}`);
      const files = (await Promise.all(scripts)).filter((file): file is JsFile => file !== null);
      await context.close();

      const manifest = manifestFiles(appPage);
      const manifestFacts = manifest.map((file) =>
        fileFacts(file, readFileSync(path.join(NEXT, file.replace(/^\/_next\//, "")))),
      );
      const seen = new Set(files.map((file) => file.file));
      const bundle: PageBundle = {
        route,
        viewer,
        files: files.sort((a, b) => b.raw - a.raw),
        raw: files.reduce((sum, file) => sum + file.raw, 0),
        gzip: files.reduce((sum, file) => sum + file.gzip, 0),
        contains: [...new Set(files.flatMap((file) => file.contains))],
        manifest: {
          files: manifest,
          raw: manifestFacts.reduce((sum, file) => sum + file.raw, 0),
          gzip: manifestFacts.reduce((sum, file) => sum + file.gzip, 0),
        },
        onlyInBrowser: [...seen].filter((file) => !manifest.includes(file)),
        onlyInManifest: manifest.filter((file) => !seen.has(file)),
      };
      pages.push(bundle);
      log(
        `  ${route.padEnd(13)} ${files.length} files, ${kb(bundle.raw)} KB raw, ${kb(bundle.gzip)} KB gzip${bundle.contains.length ? ` (${bundle.contains.join(", ")})` : ""}`,
      );
    }
    return { date: new Date().toISOString().slice(0, 10), buildId, chromium: browser.version(), pages };
  } finally {
    await browser.close();
    if (server) await stop(server);
    await database.drop();
  }
}

// ---- the report ----

const kb = (bytes: number) =>
  (bytes / 1024).toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function renderBundles(result: BundleResult): string {
  const rows = result.pages.map(
    (p) =>
      `| \`${p.route}\` | ${p.viewer === "nobody" ? "signed out" : p.viewer} | ${p.files.length} | ${kb(p.raw)} | ${kb(p.gzip)} | ${p.contains.join(", ") || "–"} | ${p.manifest.files.length} files, ${kb(p.manifest.raw)} KB${p.onlyInBrowser.length + p.onlyInManifest.length === 0 ? " (same files)" : ` (differs: ${[...p.onlyInBrowser.map((f) => `+${path.basename(f)}`), ...p.onlyInManifest.map((f) => `−${path.basename(f)}`)].join(" ")})`} |`,
  );
  const largest = new Map<string, JsFile>();
  for (const page of result.pages) for (const file of page.files) largest.set(file.file, file);
  const big = [...largest.values()].sort((a, b) => b.raw - a.raw).slice(0, 6);
  const usedBy = (file: string) =>
    result.pages
      .filter((p) => p.files.some((f) => f.file === file))
      .map((p) => `\`${p.route}\``)
      .join(" ");
  return `## What the browser downloads

Written by \`npm run bench:bundle\` (after \`npm run build\`) on ${result.date}, build \`${result.buildId}\`.

- Measured in the browser: \`npm start\` on a throwaway PostgreSQL database, headless Chromium ${result.chromium} with an
  empty cache opens each page (signed in as a user, or an admin, where the page needs it); every script it downloads
  until the network is idle is counted. Link prefetches are refused, so each figure is the page's own first load.
  Raw is the bytes of the files as built (minified); gzip is each file gzipped at level 6, as \`next start\` sends it.
- Cross-check from the build (Next 16 with Turbopack prints no "First Load JS"): \`rootMainFiles\` of
  \`.next/build-manifest.json\` plus the layout's and the page's \`entryJSFiles\` in
  \`.next/server/app/<page>/page_client-reference-manifest.js\`.
- "Carries" names what a file of the page contains among Better Auth's client SDK (\`src/lib/auth-client.ts\`)
  and zxcvbn's dictionaries.

| page | visitor | JS files | raw KB | gzip KB | carries | build manifests |
| --- | --- | ---: | ---: | ---: | --- | --- |
${rows.join("\n")}

The largest files: ${big.map((f) => `\`${path.basename(f.file)}\` ${kb(f.raw)} KB raw / ${kb(f.gzip)} KB gzip${f.contains.length ? ` (${f.contains.join(", ")})` : ""} on ${usedBy(f.file)}`).join("; ")}.
`;
}

// ---- `npm run bench:bundle` ----

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureBundles()
    .then((result) => {
      console.info(`\n${renderBundles(result)}`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error("bench:bundle failed:", error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    });
}
