// Unit and integration tests: each test file gets its own migrated database (PGlite, or PostgreSQL when
// DATABASE_URL is set), so files run in parallel without sharing rows.
import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname, "src"),
      // `server-only` throws outside React's server build; tests are server-side by nature.
      "server-only": path.resolve(import.meta.dirname, "src/test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["src/test/global-setup.ts"],
    setupFiles: ["src/test/setup-provider-hosts.ts", "src/test/setup-database.ts"],
    pool: "forks",
    // One file per core, not Vitest's cores − 1: files spend much of their time waiting on the database and on
    // password hashing. On 2 cores the embedded-database run took 287 s with one worker, 208 s with two, 217 s with three.
    maxWorkers: os.availableParallelism(),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: "test",
      BETTER_AUTH_SECRET: "test-secret-with-at-least-32-characters!",
      BETTER_AUTH_URL: "http://localhost:3000",
      ADMIN_EMAILS: "root@example.com",
    },
  },
});
