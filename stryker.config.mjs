// Mutation testing of the security modules (`npm run test:mutation`; docs/testing.md has the scores and the
// surviving mutants). One module at a time: `npm run test:mutation -- --mutate src/lib/callback-url.ts`.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
const config = {
  mutate: [
    "src/server/api/trpc.ts",
    "src/server/api/error-formatter.ts",
    "src/server/auth/session-cookie.ts",
    "src/server/auth/session-cookie-count.ts",
    "src/server/auth/access-token.ts",
    "src/server/auth/password-attempts.ts",
    "src/server/auth/password-attempts-plugin.ts",
    "src/server/http/client-ip.ts",
    "src/lib/callback-url.ts",
    "src/server/rate-limit/*.ts",
    "!src/**/*.test.ts",
  ],
  testRunner: "vitest",
  // The project's own config, global setup included (a migrated database and the mail capture). `related` runs
  // only the test files that import a mutated module; perTest coverage then narrows each mutant to the tests
  // that reach it.
  vitest: { configFile: "vitest.config.ts", related: true },
  coverageAnalysis: "perTest",
  // Two cores: one Vitest per core.
  concurrency: 2,
  // Tests hash passwords and open a database per file: give slow mutants room before calling them timeouts.
  timeoutFactor: 2,
  timeoutMS: 30_000,
  // Results of unchanged mutants and tests are reused from the last run (kept out of git: they describe one
  // working tree at one moment).
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  ignorePatterns: [".next", ".data", "coverage", "test-results", "playwright-report"],
  tempDirName: ".stryker-tmp",
};

export default config;
