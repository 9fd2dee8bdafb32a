// Mutation testing of the security modules (`npm run test:mutation`; docs/testing.md has the scores and the
// surviving mutants). One module against its own tests:
// `npm run test:mutation -- --mutate src/lib/callback-url.ts --testFiles src/lib/callback-url.test.ts,src/proxy.test.ts`.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
const config = {
  mutate: [
    "src/server/api/middlewares/*.ts",
    "src/server/auth/request-session.ts",
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
  // The project's own config, global setup included (a migrated database and the mail capture).
  vitest: { configFile: "vitest.config.ts", related: true },
  // The tests that state the security rules of these modules (the rule table in docs/authentication.md). Most other
  // test files reach the procedures too; with them, every run would be most of the suite on one worker per runner.
  testFiles: [
    "src/lib/callback-url.test.ts",
    "src/proxy.test.ts",
    "src/server/api/error-formatter.test.ts",
    "src/server/api/production-errors.http.test.ts",
    "src/server/api/properties.test.ts",
    "src/server/api/trpc.http.test.ts",
    "src/server/auth/access-token.test.ts",
    "src/server/auth/one-session-cookie.http.test.ts",
    "src/server/auth/password-attempts-plugin.test.ts",
    "src/server/auth/session-cookie.test.ts",
    "src/server/auth/session-cookie.differential.test.ts",
    "src/server/auth/throttling.http.test.ts",
    "src/server/http/client-address.http.test.ts",
    "src/server/http/client-ip.test.ts",
    "src/server/rate-limit/counter-store.test.ts",
  ],
  // The initial run (every test file above, one worker, instrumented) took over 5 minutes here.
  dryRunTimeoutMinutes: 30,
  // Each mutant runs only the tests that reached its code in the initial run.
  coverageAnalysis: "perTest",
  // A mutant in code run at import would rerun every test file above; they are listed as ignored instead.
  ignoreStatic: true,
  // With Vitest's bail, a failing mutant's run sometimes never settled and ended as a timeout (then a restart of
  // the runner and its global setup); the covering tests are few, so they all run.
  disableBail: true,
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
