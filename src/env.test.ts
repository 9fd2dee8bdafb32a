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
