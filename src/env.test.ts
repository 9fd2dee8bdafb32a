// Configuration at start-up: what production demands, the development secret, invalid values, and .env.example.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDevelopmentSecret, envSchema, parseEnv } from "@/env";

const ROOT = path.resolve(import.meta.dirname, "..");
const SECRET = "a-production-secret-of-32-characters!";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskforge-env-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("BETTER_AUTH_SECRET", () => {
  it("production refuses to start without it, saying how to make one", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(
      "BETTER_AUTH_SECRET is required in production (at least 32 characters). Generate one with: openssl rand -base64 32",
    );
  });

  it("a secret under 32 characters is refused", () => {
    expect(() => parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: SECRET.slice(0, 31) })).toThrow(
      "BETTER_AUTH_SECRET: BETTER_AUTH_SECRET must be at least 32 characters",
    );
    expect(parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: SECRET }).BETTER_AUTH_SECRET).toBe(SECRET);
  });
});

describe("ADMIN_EMAILS", () => {
  it("production refuses it without email verification, when anyone could claim an admin address first", () => {
    const production = {
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: SECRET,
      ADMIN_EMAILS: "boss@example.com",
    } as const;
    expect(() => parseEnv({ ...production, REQUIRE_EMAIL_VERIFICATION: "false" })).toThrow(
      "ADMIN_EMAILS needs REQUIRE_EMAIL_VERIFICATION=true in production",
    );
    expect(parseEnv(production).ADMIN_EMAILS).toEqual(["boss@example.com"]);
    expect(parseEnv({ ...production, ADMIN_EMAILS: "", REQUIRE_EMAIL_VERIFICATION: "false" }).ADMIN_EMAILS).toEqual([]);
  });
});

describe("the development secret", () => {
  it("is generated once in .data/dev-secret beside the embedded database and reused at the next start", () => {
    const source = { NODE_ENV: "development", PGLITE_DIR: path.join(dir, ".data", "pglite") } as const;
    const first = parseEnv(source).BETTER_AUTH_SECRET;
    const file = path.join(dir, ".data", "dev-secret");
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(file, "utf8")).toBe(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(parseEnv(source).BETTER_AUTH_SECRET).toBe(first);
  });

  it("two processes creating it at once keep the same one: the first write wins, the second reads it", () => {
    const file = path.join(dir, ".data", "dev-secret");
    // Both found no file; each now writes the one it generated.
    const first = createDevelopmentSecret(file);
    const second = createDevelopmentSecret(file);
    expect(second).toBe(first);
    expect(fs.readFileSync(file, "utf8")).toBe(first);
  });
});

describe("invalid values stop start-up with a message naming the variable", () => {
  it.each([
    ["TRUSTED_PROXY_HOPS", "-1"],
    ["DATABASE_URL", "mysql://db.example.com/taskforge"],
    ["DATABASE_URL", "not a url"],
    ["DATABASE_DIRECT_URL", "mysql://db.example.com/taskforge"],
    ["LOG_LEVEL", "loud"],
    ["PORT", "70000"],
    ["SEED_ADMIN_EMAIL", "admin"],
  ])("%s=%s", (name, value) => {
    expect(() => parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: SECRET, [name]: value })).toThrow(
      new RegExp(`^Invalid configuration:\\n  - ${name}: `),
    );
  });

  it("DATABASE_DIRECT_URL without DATABASE_URL is refused (the app would use the embedded database)", () => {
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        BETTER_AUTH_SECRET: SECRET,
        DATABASE_DIRECT_URL: "postgresql://db/taskforge",
      }),
    ).toThrow("DATABASE_DIRECT_URL is set without DATABASE_URL");
  });

  it("the server's start-up check exits with that message", { timeout: 60_000 }, async () => {
    const script = `const { loadConfiguration } = await import(${JSON.stringify(path.join(ROOT, "src/server/startup.ts"))}); await loadConfiguration();`;
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production", TRUSTED_PROXY_HOPS: "-1" },
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/Taskforge cannot start\. Invalid configuration:\\n {2}- TRUSTED_PROXY_HOPS: /),
    });
  });
});

describe(".env.example", () => {
  it("lists every variable of the schema, and only those", () => {
    const listed = fs
      .readFileSync(path.join(ROOT, ".env.example"), "utf8")
      .split("\n")
      .flatMap((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.toSorted()).toEqual(Object.keys(envSchema.shape).toSorted());
  });

  it("explains each variable in a comment above it", () => {
    const lines = fs.readFileSync(path.join(ROOT, ".env.example"), "utf8").split("\n");
    const uncommented = lines.filter(
      (line, i) => /^[A-Z]/.test(line) && !/^(#|[A-Z][A-Z0-9_]*=)/.test(lines[i - 1] ?? ""),
    );
    expect(uncommented).toEqual([]);
  });
});

describe("identity providers", () => {
  const base = { NODE_ENV: "production" as const, BETTER_AUTH_SECRET: SECRET };
  const acme = {
    OIDC_PROVIDERS: "acme, my-idp",
    OIDC_ACME_ISSUER: "https://login.acme.example/",
    OIDC_ACME_CLIENT_ID: "client",
    OIDC_ACME_CLIENT_SECRET: "secret",
    OIDC_ACME_NAME: "Acme",
    OIDC_MY_IDP_ISSUER: "https://idp.example/.well-known/openid-configuration",
    OIDC_MY_IDP_CLIENT_ID: "id",
    OIDC_MY_IDP_CLIENT_SECRET: "s",
    OIDC_MY_IDP_SCOPES: "email profile groups",
  };

  it("configures any number of OpenID Connect issuers, and the presets given both their values", () => {
    const providers = parseEnv({
      ...base,
      ...acme,
      GITHUB_CLIENT_ID: "gh",
      GITHUB_CLIENT_SECRET: "ghs",
    }).IDENTITY_PROVIDERS;
    expect(providers).toEqual([
      { id: "github", name: "GitHub", kind: "github", clientId: "gh", clientSecret: "ghs" },
      {
        id: "acme",
        name: "Acme",
        kind: "oidc",
        clientId: "client",
        clientSecret: "secret",
        discoveryUrl: "https://login.acme.example/.well-known/openid-configuration",
        scopes: ["openid", "email", "profile"],
      },
      {
        id: "my-idp",
        name: "my-idp",
        kind: "oidc",
        clientId: "id",
        clientSecret: "s",
        discoveryUrl: "https://idp.example/.well-known/openid-configuration",
        scopes: ["openid", "email", "profile", "groups"],
      },
    ]);
    expect(parseEnv(base).IDENTITY_PROVIDERS).toEqual([]);
  });

  it.each([
    [{ GOOGLE_CLIENT_ID: "id" }, "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together (or neither)"],
    [{ GITHUB_CLIENT_SECRET: "s" }, "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together (or neither)"],
    [{ ...acme, OIDC_ACME_CLIENT_SECRET: "" }, 'identity provider "acme" needs OIDC_ACME_CLIENT_SECRET'],
    [
      { OIDC_PROVIDERS: "corp" },
      'identity provider "corp" needs OIDC_CORP_ISSUER, OIDC_CORP_CLIENT_ID, OIDC_CORP_CLIENT_SECRET',
    ],
    [{ ...acme, OIDC_ACME_ISSUER: "login.acme.example" }, "OIDC_ACME_ISSUER must be the issuer's URL"],
    [{ OIDC_PROVIDERS: "google" }, 'OIDC_PROVIDERS: "google" is not a provider id'],
    [{ OIDC_PROVIDERS: "Acme!" }, 'OIDC_PROVIDERS: "Acme!" is not a provider id'],
  ])("half a provider stops start-up: %o", (variables, message) => {
    expect(() => parseEnv({ ...base, ...variables })).toThrow(message);
  });
});
