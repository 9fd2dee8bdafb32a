// The e2e run's settings, shared by the config, the server launcher and the fixtures. One run id per
// `playwright test` (set by the config in the main process, inherited by the workers).
process.env.E2E_RUN_ID ??= `${Date.now()}`;

export const RUN_ID = process.env.E2E_RUN_ID;
export const PORT = Number(process.env.E2E_PORT ?? 3917);
export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2917);
export const BASE_URL = `http://localhost:${PORT}`;
/** The test identity provider's port (src/test/fixtures/identity-provider.ts), started with the server. */
export const IDP_PORT = Number(process.env.E2E_IDP_PORT ?? PORT + 1000);
export const IDP_CLIENT = {
  clientId: "taskforge-e2e",
  clientSecret: "e2e-identity-provider-secret",
  redirectUris: [`${BASE_URL}/api/auth/callback/acme`],
};
export const MAIL_DIR = `/tmp/taskforge-e2e-${RUN_ID}/mail`;
export const SECRET = "e2e-secret-0123456789abcdef0123456789abcdef";
export const ADMIN_EMAIL = "admin@e2e.test";

/** PostgreSQL server for the run; every run gets its own database on it. */
const POSTGRES = process.env.E2E_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432";
export const POSTGRES_ADMIN_URL = `${POSTGRES}/postgres`;
export const DATABASE_NAME = `taskforge_e2e_${RUN_ID}`;
export const DATABASE_URL = `${POSTGRES}/${DATABASE_NAME}`;

/** The production server's environment. */
export const SERVER_ENV = {
  PORT: String(PORT),
  DATABASE_URL,
  BETTER_AUTH_SECRET: SECRET,
  BETTER_AUTH_URL: BASE_URL,
  SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
  ADMIN_EMAILS: ADMIN_EMAIL,
  // On by default in production; the admin pages' own tests sign in without a second factor (the second factor's
  // tests enrol one).
  REQUIRE_ADMIN_MFA: "false",
  NEXT_TELEMETRY_DISABLED: "1",
  // The server's output is shown with the test run's: warnings and errors, not an access line per request.
  LOG_LEVEL: "warn",
  OIDC_PROVIDERS: "acme",
  OIDC_ACME_ISSUER: `http://127.0.0.1:${IDP_PORT}`,
  OIDC_ACME_CLIENT_ID: IDP_CLIENT.clientId,
  OIDC_ACME_CLIENT_SECRET: IDP_CLIENT.clientSecret,
  OIDC_ACME_NAME: "Acme ID",
};
