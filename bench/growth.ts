// Growth: does a procedure's latency stay flat as the data grows? Each case is timed for a small and a large case
// through the real tRPC caller (procedure, middleware, Prisma, PostgreSQL; in-process, no HTTP), and the ratio
// large/small is compared with the bound (1.5×).
//
// - task.list / task.stats: a user with 1,000 tasks against one with 1,000,000, in the same table (with 998 other
//   users' tasks around them);
// - task.list / task.stats in an organization: one with 1,000 tasks against one with 100,000;
// - user.list: the same admin queries on 1,000 users and on 100,000 users.
//
// The databases are fresh ones on the PostgreSQL server (created, migrated with the repo's migration code, filled
// with `INSERT … SELECT generate_series`, VACUUM ANALYZEd, and dropped at the end). `npm run bench:growth` prints
// the markdown section; `measureGrowth` and `renderGrowth` are for the main benchmark run.
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { applyMigrations } from "../scripts/migrate/engine";
import { adminQuery, databaseUrl } from "../src/test/postgres-admin";

export type GrowthOptions = {
  /** A PostgreSQL server URL on which a throwaway database may be created. */
  serverUrl?: string;
  /** Timed calls per case and size, after `warmup` untimed ones. */
  calls?: number;
  warmup?: number;
  /** The ratio large/small (of p50) a case must stay within. */
  bound?: number;
  smallTasks?: number;
  largeTasks?: number;
  /** Tasks of each other user among the first `smallUsers`, so the measured users' tasks sit in a realistic table. */
  tasksPerOtherUser?: number;
  /** user.list is measured with this many users, then again with `largeUsers`. */
  smallUsers?: number;
  largeUsers?: number;
  /** Tasks of the small and the large organization (task.list and task.stats in an organization). */
  smallOrgTasks?: number;
  largeOrgTasks?: number;
  log?: (line: string) => void;
};

export type Latency = { p50: number; p99: number; mean: number; min: number; max: number };

export type GrowthCase = {
  procedure: "task.list" | "task.create" | "task.stats" | "user.list";
  name: string;
  /** What differs between the small and the large case. */
  sizes: { small: string; large: string };
  small: Latency;
  large: Latency;
  /** Rows the procedure returned (or a summary of the answer), small / large: both sides do the same work. */
  answer: { small: string; large: string };
  ratioP50: number;
  ratioP99: number;
  within: boolean;
};

export type GrowthResult = {
  date: string;
  seconds: number;
  machine: string;
  /** The machine's load average (1, 5, 15 minutes) at the end of the run: other work on a shared machine. */
  load: string;
  postgres: string;
  settings: Required<Omit<GrowthOptions, "log" | "serverUrl">>;
  /** Seconds spent creating, migrating and filling the database, per step. */
  setup: Array<{ step: string; seconds: number }>;
  /** Rows in the main database as loaded (task.create adds a few hundred during the run). */
  rows: { tasks: number; users: number };
  cases: GrowthCase[];
};

const DEFAULTS: Required<Omit<GrowthOptions, "log" | "serverUrl">> = {
  calls: 200,
  warmup: 20,
  bound: 1.5,
  smallTasks: 1_000,
  largeTasks: 1_000_000,
  tasksPerOtherUser: 200,
  smallUsers: 1_000,
  largeUsers: 100_000,
  smallOrgTasks: 1_000,
  largeOrgTasks: 100_000,
};

/** Tasks are created this far apart (newest first), for every user alike: the large user just has a longer history. */
const TASK_SPACING = "5 minutes";
/** The newest tasks of every user are a mix of open and done (one in three done); older ones are done, except… */
const RECENT_TASKS = 200;
/** …one in this many old tasks, left open and long overdue (a neglected backlog). */
const NEGLECTED_EVERY = 10_000;
/** One in ten tasks has a due date, a week after it was created. */
const DUE_EVERY = 10;

/** A person the admin looks up by name: the one user whose name contains the search term. */
const SOUGHT = { name: "Marguerite Okonkwo", email: "m.okonkwo@taskforge.test", term: "okonkwo" };
/** A first name many users share (one in 50): a search term with many matches. */
const COMMON_TERM = "anna";
const FIRST_NAMES = [
  "Anna",
  "Ben",
  "Chloe",
  "David",
  "Elena",
  "Felix",
  "Grace",
  "Hugo",
  "Ines",
  "Jonas",
  "Karin",
  "Liam",
  "Maya",
  "Noah",
  "Olga",
  "Pablo",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
  "Umar",
  "Vera",
  "Will",
  "Xenia",
  "Yusuf",
  "Zoe",
  "Aiko",
  "Bruno",
  "Carla",
  "Dmitri",
  "Emma",
  "Farah",
  "Gustav",
  "Hana",
  "Ivan",
  "Julia",
  "Kofi",
  "Lea",
  "Marco",
  "Nina",
  "Oscar",
  "Priya",
  "Rafael",
  "Sofia",
  "Tomas",
  "Ulla",
  "Victor",
  "Wen",
  "Yara",
  "Zeno",
];
const LAST_NAMES = [
  "Smith",
  "Garcia",
  "Müller",
  "Rossi",
  "Dubois",
  "Kowalski",
  "Nielsen",
  "Silva",
  "Tanaka",
  "Kim",
  "Chen",
  "Singh",
  "Ivanova",
  "Novak",
  "Horvat",
  "Jansen",
  "Berg",
  "Costa",
  "Lopez",
  "Meyer",
  "Schmidt",
  "Fischer",
  "Weber",
  "Wagner",
  "Becker",
  "Hoffmann",
  "Koch",
  "Richter",
  "Klein",
  "Wolf",
  "Brown",
  "Taylor",
  "Wilson",
  "Evans",
  "Thomas",
  "Roberts",
  "Walker",
  "Wright",
  "Hall",
  "Green",
  "Baker",
  "Adams",
  "Nelson",
  "Carter",
  "Mitchell",
  "Perez",
  "Turner",
  "Phillips",
  "Campbell",
  "Parker",
];
const DOMAINS = ["example.com", "mail.test", "corp.example", "post.test", "inbox.example"];

// ---- the database ----

type Loader = { setup: GrowthResult["setup"]; log: (line: string) => void };

async function timed(
  loader: Loader,
  client: pg.Client,
  step: string,
  sql: string,
  params: unknown[] = [],
): Promise<void> {
  const started = performance.now();
  await client.query(sql, params);
  const seconds = (performance.now() - started) / 1000;
  loader.setup.push({ step, seconds });
  loader.log(`  ${step} (${seconds.toFixed(1)} s)`);
}

/**
 * `count` users numbered from `first` (older the higher the number), with names from the lists above.
 * Every email is unique; no generated name contains the sought term.
 */
function insertUsers(loader: Loader, client: pg.Client, step: string, first: number, count: number): Promise<void> {
  return timed(
    loader,
    client,
    step,
    `INSERT INTO users (id, name, email, email_verified, role, created_at, updated_at)
     SELECT 'u' || g, f.name || ' ' || l.name,
            lower(f.name) || '.' || lower(l.name) || g || '@' || ($4::text[])[1 + g % cardinality($4::text[])],
            true, 'user', now() - g * interval '1 minute', now()
     FROM generate_series($1::int, $1::int + $2::int - 1) AS g
     CROSS JOIN LATERAL (SELECT ($3::text[])[1 + g % cardinality($3::text[])] AS name) f
     CROSS JOIN LATERAL (SELECT ($5::text[])[1 + (g / cardinality($3::text[])) % cardinality($5::text[])] AS name) l`,
    [first, count, FIRST_NAMES, DOMAINS, LAST_NAMES],
  );
}

/**
 * `count` tasks for each user (or organization, with `owner` "organization_id") in `ownerIds`, newest first a
 * `TASK_SPACING` apart (see the constants for their shape).
 */
function insertTasks(
  loader: Loader,
  client: pg.Client,
  step: string,
  ownerIds: string[],
  count: number,
  owner: "user_id" | "organization_id" = "user_id",
): Promise<void> {
  return timed(
    loader,
    client,
    step,
    `INSERT INTO tasks (id, title, completed, priority, due_at, ${owner}, created_at, updated_at)
     SELECT gen_random_uuid(), 'Task ' || g,
            CASE WHEN g <= ${RECENT_TASKS} THEN g % 3 = 0 ELSE g % ${NEGLECTED_EVERY} <> 0 END,
            (ARRAY['low', 'medium', 'high']::"Priority"[])[1 + g % 3],
            CASE WHEN g % ${DUE_EVERY} = 0 THEN t.created_at + interval '7 days' END,
            u.id, t.created_at, t.created_at
     FROM unnest($1::text[]) AS u(id)
     CROSS JOIN generate_series(1, $2::int) AS g
     CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', now()) - g * interval '${TASK_SPACING}' AS created_at) t`,
    [ownerIds, count],
  );
}

// ---- the app, in-process ----

type App = {
  createCaller: typeof import("../src/server/api/root").createCaller;
  createTRPCContext: typeof import("../src/server/api/context").createTRPCContext;
  encodeCursor: typeof import("../src/server/api/pagination").encodeCursor;
  encodeTaskCursor: typeof import("../src/server/api/routers/task-list").encodeTaskCursor;
  /** A Prisma client of the app's kind for another database. */
  openDatabase: (url: string) => import("../src/server/db").Database;
  signIn: (userId: string) => Promise<Headers>;
  close: () => Promise<void>;
};

type Caller = ReturnType<App["createCaller"]>;

/**
 * Loads the app's server modules against `url`. They keep one database client and one Better Auth instance per
 * process (on globalThis), so this must run before anything else in the process has loaded them.
 */
async function loadApp(url: string): Promise<App> {
  const globals = globalThis as { taskforgeDb?: unknown; taskforgeAuth?: unknown };
  if (globals.taskforgeDb || globals.taskforgeAuth) {
    throw new Error("measureGrowth needs a process in which the app's database client is not loaded yet");
  }
  process.env.DATABASE_URL = url;
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
  // task.create is timed a few hundred times per user: measured, not refused (the counter is still written).
  process.env.MUTATION_RATE_LIMIT ??= "1000000000";
  const [
    { createCaller },
    { createTRPCContext },
    { encodeCursor },
    { encodeTaskCursor },
    { signIn },
    { db, createDatabase },
    { PrismaPg },
  ] = await Promise.all([
    import("../src/server/api/root"),
    import("../src/server/api/context"),
    import("../src/server/api/pagination"),
    import("../src/server/api/routers/task-list"),
    import("../src/test/fixtures/sessions"),
    import("../src/server/db"),
    import("@prisma/adapter-pg"),
  ]);
  return {
    createCaller,
    createTRPCContext,
    encodeCursor,
    encodeTaskCursor,
    openDatabase: (other) => createDatabase(new PrismaPg({ connectionString: other, max: 2 })),
    signIn: async (userId) => (await signIn({ id: userId })).headers,
    close: async () => {
      await db.$disconnect();
      delete globals.taskforgeDb;
      delete globals.taskforgeAuth;
    },
  };
}

/**
 * A caller signed in as `userId` with a session cookie; its context (the session read) is built once. With
 * `database`, its procedures query that database instead of the app's (the session stays the app's).
 */
async function callerFor(app: App, userId: string, database?: import("../src/server/db").Database): Promise<Caller> {
  const ctx = await app.createTRPCContext({ headers: await app.signIn(userId) });
  if (!database) return app.createCaller(ctx);
  // Admin procedures read the session's standing from the database they query: the session is there too.
  const session = ctx.session?.session;
  if (session && "token" in session && "createdAt" in session) {
    const { id, token, userId: owner, expiresAt, createdAt } = session;
    await database.session.create({ data: { id, token, userId: owner, expiresAt, createdAt } });
  }
  return app.createCaller({ ...ctx, db: database });
}

// ---- timing ----

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return {
    p50: at(0.5),
    p99: at(0.99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

type Side = { call: () => Promise<unknown>; describe: (answer: unknown) => string };

/** Warm-up, then `calls` timed calls per side; with both sides given, small and large alternate call by call. */
async function time(sides: Side[], calls: number, warmup: number): Promise<{ samples: number[][]; answers: string[] }> {
  const samples = sides.map(() => [] as number[]);
  const answers = sides.map(() => "");
  for (let i = 0; i < warmup + calls; i++) {
    for (const [index, side] of sides.entries()) {
      const started = performance.now();
      const answer = await side.call();
      const ms = performance.now() - started;
      if (i === 0) answers[index] = side.describe(answer);
      if (i >= warmup) samples[index]?.push(ms);
    }
  }
  return { samples, answers };
}

const pageSummary = (answer: unknown) => {
  const page = answer as { items: unknown[]; nextCursor: string | null };
  return `${page.items.length} row${page.items.length === 1 ? "" : "s"}${page.nextCursor ? "" : ", last page"}`;
};
const statsSummary = (answer: unknown) => {
  const stats = answer as { total: number; completed: number; overdue: number };
  return `${stats.total.toLocaleString("en-US")} / ${stats.completed.toLocaleString("en-US")} / ${stats.overdue.toLocaleString("en-US")}`;
};

type CaseSpec = { procedure: GrowthCase["procedure"]; name: string; sizes: GrowthCase["sizes"] };

function growthCase(
  spec: CaseSpec,
  small: number[],
  large: number[],
  answers: [string, string],
  bound: number,
): GrowthCase {
  const s = latency(small);
  const l = latency(large);
  const ratioP50 = l.p50 / s.p50;
  return {
    ...spec,
    small: s,
    large: l,
    answer: { small: answers[0], large: answers[1] },
    ratioP50,
    ratioP99: l.p99 / s.p99,
    within: ratioP50 <= bound,
  };
}

// ---- the run ----

/** The admin, the sought person, then `generated` users from the lists: the same rows in both user databases. */
async function insertPeople(loader: Loader, client: pg.Client, step: string, generated: number): Promise<void> {
  await client.query(
    `INSERT INTO users (id, name, email, email_verified, role, created_at, updated_at) VALUES
     ('u-admin', 'Ada Admin', 'ada.admin@taskforge.test', true, 'admin', now() - interval '20 years', now()),
     ('u-sought', $1, $2, true, 'user', now() - interval '${Math.floor(DEFAULTS.smallUsers / 2)} minutes', now())`,
    [SOUGHT.name, SOUGHT.email],
  );
  await insertUsers(loader, client, step, 1, generated);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'"); // Prisma's DateTime columns hold UTC
  return client;
}

/**
 * Two throwaway databases: `bench_growth_<pid>` holds the tasks (the small and the large user side by side) and
 * `largeUsers` users; `bench_growth_<pid>_small` the same first `smallUsers` users and nothing else. user.list runs
 * against each with the same admin session, so its small and large calls can alternate like the tasks' do.
 */
export async function measureGrowth(options: GrowthOptions = {}): Promise<GrowthResult> {
  const settings = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as typeof DEFAULTS;
  const serverUrl =
    options.serverUrl ?? process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const log = options.log ?? ((line: string) => console.info(line));
  const started = Date.now();
  const names = { main: `bench_growth_${process.pid}`, small: `bench_growth_${process.pid}_small` };
  const setup: GrowthResult["setup"] = [];
  const loader: Loader = { setup, log };
  const cases: GrowthCase[] = [];
  const clients: pg.Client[] = [];
  let app: App | undefined;
  let smallUsersDb: import("../src/server/db").Database | undefined;

  log(`growth: databases ${names.main} and ${names.small}`);
  try {
    const step = performance.now();
    for (const name of Object.values(names)) {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
      await applyMigrations({ kind: "postgres", url: databaseUrl(serverUrl, name) });
    }
    setup.push({ step: "create and migrate both databases", seconds: (performance.now() - step) / 1000 });
    const main = await connect(databaseUrl(serverUrl, names.main));
    clients.push(main);
    const smallDb = await connect(databaseUrl(serverUrl, names.small));
    clients.push(smallDb);
    const postgres =
      (await main.query<{ version: string }>("SELECT version()")).rows[0]?.version.split(" on ")[0] ?? "PostgreSQL";

    const generatedSmall = settings.smallUsers - 2;
    const smallUser = "u-small";
    const largeUser = "u-large";
    await insertPeople(
      loader,
      smallDb,
      `${settings.smallUsers.toLocaleString("en-US")} users (small database)`,
      generatedSmall,
    );
    await insertPeople(
      loader,
      main,
      `${(settings.largeUsers - 2).toLocaleString("en-US")} users`,
      settings.largeUsers - 4,
    );
    await main.query(
      `INSERT INTO users (id, name, email, email_verified, role, created_at, updated_at) VALUES
       ($1, 'Sam Small', 'sam.small@taskforge.test', true, 'user', now() - interval '20 years', now()),
       ($2, 'Lars Large', 'lars.large@taskforge.test', true, 'user', now() - interval '20 years', now())`,
      [smallUser, largeUser],
    );
    const others = Array.from({ length: generatedSmall }, (_, i) => `u${i + 1}`);
    await insertTasks(
      loader,
      main,
      `${settings.smallTasks.toLocaleString("en-US")} tasks for the small user`,
      [smallUser],
      settings.smallTasks,
    );
    await insertTasks(
      loader,
      main,
      `${settings.largeTasks.toLocaleString("en-US")} tasks for the large user`,
      [largeUser],
      settings.largeTasks,
    );
    await insertTasks(
      loader,
      main,
      `${settings.tasksPerOtherUser} tasks for each of ${others.length.toLocaleString("en-US")} other users`,
      others,
      settings.tasksPerOtherUser,
    );
    // Two organizations, the small user a member of the small one and the large user of the large one, with their
    // shared tasks in the same table.
    await main.query(
      `INSERT INTO organizations (id, name, slug, created_at) VALUES
       ('o-small', 'Small Team', 'small-team', now()), ('o-large', 'Large Team', 'large-team', now());
       INSERT INTO members (id, organization_id, user_id, role, created_at) VALUES
       ('m-small', 'o-small', '${smallUser}', 'member', now()), ('m-large', 'o-large', '${largeUser}', 'member', now())`,
    );
    await insertTasks(
      loader,
      main,
      `${settings.smallOrgTasks.toLocaleString("en-US")} tasks for the small organization`,
      ["o-small"],
      settings.smallOrgTasks,
      "organization_id",
    );
    await insertTasks(
      loader,
      main,
      `${settings.largeOrgTasks.toLocaleString("en-US")} tasks for the large organization`,
      ["o-large"],
      settings.largeOrgTasks,
      "organization_id",
    );
    // VACUUM as autovacuum would after bulk inserts: it also moves new trigram (GIN) index entries from their
    // pending list into the index proper, the state of a table that grew over time.
    await timed(loader, main, "VACUUM ANALYZE", "VACUUM ANALYZE");
    await timed(loader, smallDb, "VACUUM ANALYZE (small database)", "VACUUM ANALYZE");

    const counts = (
      await main.query<{ tasks: string; users: string }>(
        "SELECT (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM users) AS users",
      )
    ).rows[0];

    app = await loadApp(databaseUrl(serverUrl, names.main));
    smallUsersDb = app.openDatabase(databaseUrl(serverUrl, names.small));
    const small = await callerFor(app, smallUser);
    const large = await callerFor(app, largeUser);
    const adminOf = { small: await callerFor(app, "u-admin", smallUsersDb), large: await callerFor(app, "u-admin") };
    const { encodeCursor, encodeTaskCursor } = app;

    /** The cursor after the `index`th user (0-based, newest first) matching `where`. */
    async function cursorAt(client: pg.Client, where: string, params: unknown[], index: number) {
      const { rows } = await client.query<{ created_at: Date; id: string }>(
        `SELECT created_at, id FROM users WHERE ${where} ORDER BY created_at DESC, id DESC OFFSET ${index} LIMIT 1`,
        params,
      );
      const row = rows[0];
      if (!row) throw new Error(`no row ${index} in users where ${where}`);
      return encodeCursor({ createdAt: row.created_at, id: row.id });
    }

    /** task.list's cursor after the `index`th task (0-based) of `where` in `sort` order. */
    async function taskCursorAt(
      client: pg.Client,
      sort: "newest" | "due" | "priority",
      where: string,
      params: unknown[],
      index: number,
    ) {
      const order = {
        newest: "created_at DESC, id DESC",
        due: "due_at ASC NULLS LAST, id ASC",
        priority: "priority DESC, created_at DESC, id DESC",
      }[sort];
      const { rows } = await client.query<{
        created_at: Date;
        id: string;
        due_at: Date | null;
        priority: "low" | "medium" | "high";
      }>(
        `SELECT created_at, id, due_at, priority FROM tasks WHERE ${where} ORDER BY ${order} OFFSET ${index} LIMIT 1`,
        params,
      );
      const row = rows[0];
      if (!row) throw new Error(`no task ${index} where ${where}`);
      return encodeTaskCursor(sort, {
        createdAt: row.created_at,
        id: row.id,
        dueAt: row.due_at,
        priority: row.priority,
      });
    }

    type Sized = "small" | "large";
    const run = async (spec: CaseSpec & { side: (size: Sized) => Promise<Side> }) => {
      const { samples, answers } = await time(
        [await spec.side("small"), await spec.side("large")],
        settings.calls,
        settings.warmup,
      );
      const result = growthCase(
        spec,
        samples[0] ?? [],
        samples[1] ?? [],
        [answers[0] ?? "", answers[1] ?? ""],
        settings.bound,
      );
      cases.push(result);
      log(summaryLine(result));
    };

    const taskSizes = {
      small: `${settings.smallTasks.toLocaleString("en-US")} tasks`,
      large: `${settings.largeTasks.toLocaleString("en-US")} tasks`,
    };
    const tasksOf = {
      small: { caller: small, id: smallUser, count: settings.smallTasks },
      large: { caller: large, id: largeUser, count: settings.largeTasks },
    };
    const openTasksIndex = 120; // past the recent open tasks (about 133 of the newest 200)
    log(
      `growth: ${settings.calls} calls per case and side after ${settings.warmup} warm-up calls, small and large alternating`,
    );
    await run({
      procedure: "task.list",
      name: "first page (20)",
      sizes: taskSizes,
      side: async (size) => ({ call: () => tasksOf[size].caller.task.list({ limit: 20 }), describe: pageSummary }),
    });
    await run({
      procedure: "task.list",
      name: "deep page: cursor halfway through the user's tasks",
      sizes: taskSizes,
      side: async (size) => {
        const { caller, id, count } = tasksOf[size];
        const cursor = await taskCursorAt(main, "newest", "user_id = $1", [id], Math.floor(count / 2));
        return { call: () => caller.task.list({ limit: 20, cursor }), describe: pageSummary };
      },
    });
    await run({
      procedure: "task.list",
      name: "`completed: true`, first page",
      sizes: taskSizes,
      side: async (size) => ({
        call: () => tasksOf[size].caller.task.list({ limit: 20, completed: true }),
        describe: pageSummary,
      }),
    });
    await run({
      procedure: "task.list",
      name: `\`completed: false\`, the page after the ${openTasksIndex}th open task (older open tasks are rare)`,
      sizes: taskSizes,
      side: async (size) => {
        const { caller, id } = tasksOf[size];
        const cursor = await taskCursorAt(main, "newest", "user_id = $1 AND NOT completed", [id], openTasksIndex - 1);
        return { call: () => caller.task.list({ limit: 20, completed: false, cursor }), describe: pageSummary };
      },
    });
    type ListInput = Parameters<Caller["task"]["list"]>[0] & object;
    /** A task.list page of `input`, from the cursor after the `index(count)`th task of `where` in its order. */
    const listCase = (name: string, input: ListInput, from?: { where: string; index: (count: number) => number }) =>
      run({
        procedure: "task.list",
        name,
        sizes: taskSizes,
        side: async (size) => {
          const { caller, id, count } = tasksOf[size];
          const cursor = from
            ? await taskCursorAt(main, input.sort ?? "newest", from.where, [id], from.index(count))
            : undefined;
          return { call: () => caller.task.list({ limit: 20, ...input, cursor }), describe: pageSummary };
        },
      });
    const dated = (count: number) => Math.floor(count / DUE_EVERY);
    await listCase(
      "by due date, deep page: cursor halfway through the tasks with a due date",
      { sort: "due" },
      { where: "user_id = $1 AND due_at IS NOT NULL", index: (count) => Math.floor(dated(count) / 2) },
    );
    await listCase(
      "by due date, past the last due date (tasks with none, from the cursor)",
      { sort: "due" },
      { where: "user_id = $1", index: (count) => count - Math.floor((count - dated(count)) / 2) },
    );
    await listCase("overdue, first page", { sort: "due", due: "overdue" });
    await listCase(
      "by priority, deep page: cursor halfway through the user's tasks",
      { sort: "priority" },
      { where: "user_id = $1", index: (count) => Math.floor(count / 2) },
    );
    await listCase(`search "passport" (no task matches)`, { search: "passport" });
    await listCase(`search "task" (every task matches)`, { search: "task" });
    await run({
      procedure: "task.stats",
      name: "total / completed / overdue / due today",
      sizes: taskSizes,
      side: async (size) => ({ call: () => tasksOf[size].caller.task.stats(), describe: statsSummary }),
    });
    await run({
      procedure: "task.create",
      name: "one task (after the cases above, so they read the data as loaded)",
      sizes: taskSizes,
      side: async (size) => ({
        call: () => tasksOf[size].caller.task.create({ title: "Written by the benchmark" }),
        describe: () => "created",
      }),
    });

    const orgSizes = {
      small: `${settings.smallOrgTasks.toLocaleString("en-US")} organization tasks`,
      large: `${settings.largeOrgTasks.toLocaleString("en-US")} organization tasks`,
    };
    const orgOf = {
      small: { caller: small, id: "o-small", count: settings.smallOrgTasks },
      large: { caller: large, id: "o-large", count: settings.largeOrgTasks },
    };
    await run({
      procedure: "task.list",
      name: "organization: first page (20)",
      sizes: orgSizes,
      side: async (size) => ({
        call: () => orgOf[size].caller.task.list({ limit: 20, organizationId: orgOf[size].id }),
        describe: pageSummary,
      }),
    });
    await run({
      procedure: "task.list",
      name: "organization: deep page, cursor halfway through its tasks",
      sizes: orgSizes,
      side: async (size) => {
        const { caller, id, count } = orgOf[size];
        const cursor = await taskCursorAt(main, "newest", "organization_id = $1", [id], Math.floor(count / 2));
        return { call: () => caller.task.list({ limit: 20, organizationId: id, cursor }), describe: pageSummary };
      },
    });
    await run({
      procedure: "task.stats",
      name: "organization: total / completed / overdue / due today",
      sizes: orgSizes,
      side: async (size) => ({
        call: () => orgOf[size].caller.task.stats({ organizationId: orgOf[size].id }),
        describe: statsSummary,
      }),
    });

    const userSizes = {
      small: `${settings.smallUsers.toLocaleString("en-US")} users`,
      large: `${settings.largeUsers.toLocaleString("en-US")} users`,
    };
    const usersOf = {
      small: { caller: adminOf.small, client: smallDb, count: settings.smallUsers },
      large: { caller: adminOf.large, client: main, count: settings.largeUsers },
    };
    await run({
      procedure: "user.list",
      name: "first page (20)",
      sizes: userSizes,
      side: async (size) => ({ call: () => usersOf[size].caller.user.list({ limit: 20 }), describe: pageSummary }),
    });
    await run({
      procedure: "user.list",
      name: "deep page: cursor halfway through the users",
      sizes: userSizes,
      side: async (size) => {
        const { caller, client, count } = usersOf[size];
        const cursor = await cursorAt(client, "true", [], Math.floor(count / 2));
        return { call: () => caller.user.list({ limit: 20, cursor }), describe: pageSummary };
      },
    });
    await run({
      procedure: "user.list",
      name: `search "${SOUGHT.term}" (one user matches)`,
      sizes: userSizes,
      side: async (size) => ({
        call: () => usersOf[size].caller.user.list({ limit: 20, search: SOUGHT.term }),
        describe: pageSummary,
      }),
    });
    await run({
      procedure: "user.list",
      name: `search "${COMMON_TERM}" (one user in ${FIRST_NAMES.length} matches)`,
      sizes: userSizes,
      side: async (size) => ({
        call: () => usersOf[size].caller.user.list({ limit: 20, search: COMMON_TERM }),
        describe: pageSummary,
      }),
    });

    const cpus = os.cpus();
    return {
      date: new Date(started).toISOString().slice(0, 10),
      seconds: (Date.now() - started) / 1000,
      machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}`,
      load: os
        .loadavg()
        .map((value) => value.toFixed(1))
        .join(", "),
      postgres,
      settings,
      setup,
      rows: { tasks: Number(counts?.tasks ?? 0), users: Number(counts?.users ?? 0) },
      cases,
    };
  } finally {
    await smallUsersDb?.$disconnect();
    await app?.close();
    for (const client of clients) await client.end().catch(() => undefined);
    for (const name of Object.values(names))
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    log(`growth: dropped ${names.main} and ${names.small}`);
  }
}

// ---- the report ----

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const times = (value: number) => `${value.toFixed(2)}×`;
const ordinal = (n: number) => (n === 1 ? "" : `${n}${n === 2 ? "nd" : n === 3 ? "rd" : "th"}`);

function summaryLine(c: GrowthCase): string {
  return `  ${c.procedure} ${c.name}: p50 ${ms(c.small.p50)} → ${ms(c.large.p50)} ms (${times(c.ratioP50)}), p99 ${ms(c.small.p99)} → ${ms(c.large.p99)} ms (${times(c.ratioP99)}) ${c.within ? "within" : "NOT within"}`;
}

export function renderGrowth(result: GrowthResult): string {
  const { settings } = result;
  const rows = result.cases.map(
    (c) =>
      `| \`${c.procedure}\` | ${c.name} | ${c.sizes.small} → ${c.sizes.large} | ${ms(c.small.p50)} | ${ms(c.large.p50)} | **${times(c.ratioP50)}** | ${ms(c.small.p99)} | ${ms(c.large.p99)} | ${times(c.ratioP99)} | ${c.within ? "yes" : "**no**"} | ${c.answer.small} · ${c.answer.large} |`,
  );
  const missed = result.cases.filter((c) => !c.within);
  const setup = result.setup.map((s) => `${s.step} ${s.seconds.toFixed(1)} s`).join("; ");
  return `## Growth: latency as the data grows

Written by \`npm run bench:growth\` on ${result.date}; the whole run took ${Math.round(result.seconds)} s.
${missed.length === 0 ? `Every case stays within ${settings.bound}× (p50, large/small).` : `**${missed.length} case(s) exceed ${settings.bound}×** (p50, large/small): ${missed.map((c) => `\`${c.procedure}\` ${c.name}`).join("; ")}.`}

- Machine: ${result.machine}; ${result.postgres} on 127.0.0.1. The machine is shared with other work (load
  average at the end: ${result.load}), which is why both sides of a case alternate call by call.
- What is timed: one call of the procedure through the tRPC server-side caller (\`createCaller\`, in-process, no
  HTTP): its middleware (session check; for \`user.list\` the admin re-check in the database), its Prisma query and
  PostgreSQL. The caller's context (the session cookie read) is built once per user, outside the timing.
  ${settings.warmup} warm-up calls, then ${settings.calls} timed calls per side, the small and the large side
  alternating. Milliseconds.
- Data: two fresh databases, migrated with the repo's migrations and dropped at the end, filled with
  \`INSERT … SELECT generate_series\`, then VACUUM ANALYZE as autovacuum would do after bulk inserts (${setup}).
  \`bench_growth_<pid>\` holds ${result.rows.tasks.toLocaleString("en-US")} tasks and ${result.rows.users.toLocaleString("en-US")} users:
  the small user has ${settings.smallTasks.toLocaleString("en-US")} tasks, the large one ${settings.largeTasks.toLocaleString("en-US")},
  and ${(settings.smallUsers - 2).toLocaleString("en-US")} other users ${settings.tasksPerOtherUser} each. Every user's tasks have the
  same shape, created ${TASK_SPACING} apart (the large user just has a longer history): of the newest ${RECENT_TASKS}
  one in three is done; older ones are done except one in ${NEGLECTED_EVERY.toLocaleString("en-US")}, left open and
  overdue; one task in ${DUE_EVERY} is due a week after its creation. \`bench_growth_<pid>_small\` holds the first
  ${settings.smallUsers.toLocaleString("en-US")} of those users only: \`user.list\` runs with the same admin session against
  each. Names are drawn from ${FIRST_NAMES.length} first and ${LAST_NAMES.length} last names; exactly one user is
  called ${SOUGHT.name}.
- "within" means p50 large/small ≤ ${settings.bound}×. p99 is by nearest rank (with ${settings.calls} calls, the
  ${ordinal(settings.calls - Math.ceil(0.99 * settings.calls) + 1)}-slowest), so it is noisier on a shared machine.

| procedure | case | small → large | p50 small | p50 large | p50 ratio | p99 small | p99 large | p99 ratio | within ${settings.bound}× | answer small · large |
| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | --- |
${rows.join("\n")}
`;
}

// ---- `npm run bench:growth` ----

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureGrowth()
    .then((result) => {
      console.info(`\n${renderGrowth(result)}`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error("bench:growth failed:", error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    });
}
