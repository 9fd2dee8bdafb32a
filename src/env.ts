// The one place configuration is read and validated. Import `env` from here, never `process.env`.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const isBuildPhase = process.env.NEXT_PHASE === "phase-production-build";

const list = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => (value === undefined ? fallback : value === "true" || value === "1"));
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const milliseconds = (fallback: number) => z.coerce.number().int().min(100).max(600_000).default(fallback);

const DAY = 24 * 60 * 60;

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every variable the app and its commands read; `.env.example` lists the same keys (src/env.test.ts checks). */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Where `npm start` listens (`next dev` takes neither from .env: see .env.example). */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().min(1).default("0.0.0.0"),
  /** PostgreSQL connection string; unset → embedded PGlite in PGLITE_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /**
   * The PostgreSQL server's own address when DATABASE_URL is a connection pooler in transaction mode (Neon's pooled
   * URL, Supabase's Supavisor): migrations, their lock and the mail outbox's LISTEN need a session of their own.
   */
  DATABASE_DIRECT_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How long a query waits for a PostgreSQL connection (a new one, or a free one from the pool). */
  DATABASE_CONNECT_TIMEOUT_MS: milliseconds(3000),
  /** Longest statement: PostgreSQL cancels it, and the client gives up a second later if the server is silent. */
  DATABASE_STATEMENT_TIMEOUT_MS: milliseconds(5000),
  BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters").optional(),
  /** The app's public URL; by default the local server on PORT. */
  BETTER_AUTH_URL: z.url().default(`http://localhost:${process.env.PORT ?? 3000}`),
  TRUSTED_ORIGINS: list,
  ADMIN_EMAILS: list.transform((emails) => emails.map((email) => email.toLowerCase())),
  REQUIRE_EMAIL_VERIFICATION: flag(true),
  /** Admin procedures refuse a session made without a second factor; unset → on in production, off otherwise. */
  REQUIRE_ADMIN_MFA: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true" || value === "1")),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  EMAIL_FROM: z.string().min(3).default("Taskforge <no-reply@localhost>"),
  /** Redis for rate limits and the session store shared by several instances; unset → the database. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_KEY_PREFIX: z.string().default("taskforge:"),
  /** A Redis command not answered within this fails, and the database takes over until Redis answers again. */
  REDIS_COMMAND_TIMEOUT_MS: milliseconds(1000),
  /**
   * The pieces that redo a library's work faster (the cookie's session lookup, the response serialiser, the API
   * served straight from node:http): on, or off for the libraries' own paths. docs/performance.md#fast-paths.
   */
  FAST_PATHS: z.enum(["on", "off"]).default("on"),
  /** Mutations one signed-in user may make per minute through tRPC. */
  MUTATION_RATE_LIMIT: z.coerce.number().int().positive().default(120),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Connections `npm start` holds open at once (src/server/http/server-limits.ts says which one goes at the cap). */
  MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  /** Password hashes computed at once; the rest wait. Default: one fewer than the cores, at least 1. */
  PASSWORD_HASH_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.max(1, os.availableParallelism() - 1)),
  /** Password checks waiting for a hash beyond which the next one is answered 503 with Retry-After. */
  PASSWORD_HASH_QUEUE_MAX: z.coerce.number().int().min(1).max(100_000).default(64),
  /** Days an audit event is kept; older ones are deleted by every app process, hourly (src/server/retention.ts). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  /** Hours an expired rate-limit counter row is kept in the database (longer than the longest window, 15 min). */
  RATE_LIMIT_RETENTION_HOURS: z.coerce.number().int().min(1).max(8_760).default(24),
  /** How long `npm run db:migrate` waits for another instance migrating the same database (read by scripts/db-migrate.ts). */
  MIGRATION_LOCK_WAIT_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  SESSION_IDLE_TIMEOUT: seconds(7 * DAY),
  SESSION_UPDATE_AGE: seconds(DAY),
  SESSION_ABSOLUTE_LIFETIME: seconds(30 * DAY),
  /** The least severe level written to the log (JSON lines on stdout); unset → info, or silent in tests. */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  /** `npm run db:seed` only: the admin account it creates, and the passwords (required in production). */
  SEED_ADMIN_EMAIL: z
    .email()
    .default("admin@example.com")
    .transform((email) => email.toLowerCase()),
  SEED_ADMIN_PASSWORD: z.string().optional(),
  SEED_DEMO_PASSWORD: z.string().optional(),
  /**
   * Identity providers (any OpenID Connect issuer) by id, comma-separated; each is configured by OIDC_<ID>_ISSUER,
   * _CLIENT_ID, _CLIENT_SECRET, optional _NAME and _SCOPES (docs/identity-providers.md).
   */
  OIDC_PROVIDERS: list,
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
});

/**
 * A configured identity provider: an OpenID Connect issuer (Google's preset is one, at Google's discovery document),
 * or GitHub (OAuth 2.0).
 */
export type IdentityProviderConfig = {
  id: string;
  name: string;
  kind: "oidc" | "github";
  clientId: string;
  clientSecret: string;
  /** OpenID Connect only: the issuer's discovery document. */
  discoveryUrl?: string;
  scopes?: string[];
};

const PRESETS = { google: "Google", github: "GitHub" } as const;
const OIDC_SCOPES = ["openid", "email", "profile"];
/** Google is an OpenID Connect issuer: it goes the way of every other (nonce, ID token verified against its keys). */
export const GOOGLE_DISCOVERY_URL = "https://accounts.google.com/.well-known/openid-configuration";
const PROVIDER_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** The providers `source` configures, or the list of what is missing or wrong. */
function identityProviders(source: Record<string, string | undefined>, ids: string[]) {
  const providers: IdentityProviderConfig[] = [];
  const problems: string[] = [];
  for (const kind of ["google", "github"] as const) {
    const prefix = kind.toUpperCase();
    const clientId = source[`${prefix}_CLIENT_ID`];
    const clientSecret = source[`${prefix}_CLIENT_SECRET`];
    if (clientId && clientSecret)
      providers.push(
        kind === "google"
          ? {
              id: kind,
              name: PRESETS[kind],
              kind: "oidc",
              clientId,
              clientSecret,
              discoveryUrl: GOOGLE_DISCOVERY_URL,
              scopes: OIDC_SCOPES,
            }
          : { id: kind, name: PRESETS[kind], kind, clientId, clientSecret },
      );
    else if (clientId || clientSecret)
      problems.push(`${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET must be set together (or neither)`);
  }
  for (const id of ids) {
    if (!PROVIDER_ID.test(id) || id in PRESETS || id === "credential") {
      problems.push(
        `OIDC_PROVIDERS: "${id}" is not a provider id (lowercase letters, digits and "-"; not google, github or credential)`,
      );
      continue;
    }
    const prefix = `OIDC_${id.toUpperCase().replaceAll("-", "_")}_`;
    const missing = ["ISSUER", "CLIENT_ID", "CLIENT_SECRET"].filter((key) => !source[prefix + key]);
    if (missing.length > 0) {
      problems.push(`identity provider "${id}" needs ${missing.map((key) => prefix + key).join(", ")}`);
      continue;
    }
    const issuer = source[`${prefix}ISSUER`] ?? "";
    if (!z.url({ protocol: /^https?$/ }).safeParse(issuer).success) {
      problems.push(`${prefix}ISSUER must be the issuer's URL (or its discovery document's)`);
      continue;
    }
    const discoveryUrl = issuer.includes("/.well-known/")
      ? issuer
      : `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    const scopes = (source[`${prefix}SCOPES`] ?? OIDC_SCOPES.join(" ")).split(/[\s,]+/).filter(Boolean);
    providers.push({
      id,
      kind: "oidc",
      name: source[`${prefix}NAME`] ?? id,
      clientId: source[`${prefix}CLIENT_ID`] ?? "",
      clientSecret: source[`${prefix}CLIENT_SECRET`] ?? "",
      discoveryUrl,
      scopes: scopes.includes("openid") ? scopes : ["openid", ...scopes],
    });
  }
  return { providers, problems };
}

export type Env = Omit<z.infer<typeof envSchema>, "LOG_LEVEL" | "REQUIRE_ADMIN_MFA"> & {
  IDENTITY_PROVIDERS: IdentityProviderConfig[];
  BETTER_AUTH_SECRET: string;
  LOG_LEVEL: LogLevel;
  REQUIRE_ADMIN_MFA: boolean;
};

/** The secret in `file`; null while there is none (no file yet, or one another process has created but not filled). */
function readSecret(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8").trim() || null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Writes a new secret to `file` unless it exists. Processes starting at once (the server and `npm run db:seed`) may
 * all find no file: the first to create it wins and the others read its secret, so all keep the same one.
 */
export function createDevelopmentSecret(file: string): string {
  const secret = randomBytes(32).toString("base64url");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // The winner creates the file, then writes to it: give it a moment to finish.
  for (let attempt = 0; attempt < 50; attempt++) {
    const written = readSecret(file);
    if (written) return written;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  throw new Error(`${file} is empty: delete it and start again (a new development secret is then generated)`);
}

/** Outside production a secret is generated once and kept next to the embedded database. */
function developmentSecret(dataDir: string): string {
  const file = path.join(path.dirname(path.resolve(dataDir)), "dev-secret");
  return readSecret(file) ?? createDevelopmentSecret(file);
}

/** Validates a set of variables (empty means unset) into the configuration, or throws naming each invalid one. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  // Empty strings (as in a copied .env.example) mean "unset".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
  }
  // Tests are quiet unless LOG_LEVEL says otherwise.
  const logLevel = parsed.data.LOG_LEVEL ?? (parsed.data.NODE_ENV === "test" ? "silent" : "info");
  const identity = identityProviders(cleaned, parsed.data.OIDC_PROVIDERS);
  if (identity.problems.length > 0)
    throw new Error(`Invalid configuration:\n${identity.problems.map((problem) => `  - ${problem}`).join("\n")}`);
  const config = {
    ...parsed.data,
    IDENTITY_PROVIDERS: identity.providers,
    LOG_LEVEL: logLevel,
    REQUIRE_ADMIN_MFA: parsed.data.REQUIRE_ADMIN_MFA ?? parsed.data.NODE_ENV === "production",
  };
  if (config.NODE_ENV === "production" && !config.REQUIRE_EMAIL_VERIFICATION && config.ADMIN_EMAILS.length > 0) {
    // Without verification nobody proves an address is theirs: whoever signs up first with an admin email is admin.
    throw new Error(
      "ADMIN_EMAILS needs REQUIRE_EMAIL_VERIFICATION=true in production: otherwise anyone could sign up first with an admin address. Create admins with npm run db:seed or user.setRole instead.",
    );
  }
  if (config.DATABASE_DIRECT_URL && !config.DATABASE_URL)
    throw new Error("DATABASE_DIRECT_URL is set without DATABASE_URL: set DATABASE_URL to the address the app uses");
  if (config.BETTER_AUTH_SECRET) return { ...config, BETTER_AUTH_SECRET: config.BETTER_AUTH_SECRET };
  if (config.NODE_ENV === "production" && !isBuildPhase) {
    throw new Error(
      "BETTER_AUTH_SECRET is required in production (at least 32 characters). Generate one with: openssl rand -base64 32",
    );
  }
  // The build never signs anything; a throwaway value keeps it from writing files.
  const secret = isBuildPhase ? randomBytes(32).toString("hex") : developmentSecret(config.PGLITE_DIR);
  return { ...config, BETTER_AUTH_SECRET: secret };
}

export const env: Env = parseEnv(process.env);
