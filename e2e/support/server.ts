// Launched by Playwright's webServer: a fresh database, the local SMTP capture, then the production build.
import { spawn } from "node:child_process";
import pg from "pg";
import { startIdentityProvider } from "../../src/test/fixtures/identity-provider";
import { DATABASE_NAME, IDP_CLIENT, IDP_PORT, POSTGRES_ADMIN_URL, SERVER_ENV, SMTP_PORT } from "./env";
import { startMailCapture } from "./mail";

const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DATABASE_NAME} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
await admin.end();

const mail = await startMailCapture(SMTP_PORT);
// Before the app, which reads its discovery document at start.
const identityProvider = await startIdentityProvider({ clients: [IDP_CLIENT], port: IDP_PORT });

// `npm start` applies the migrations first (prestart), then serves the build made by `npm run build`.
const app = spawn("npm", ["start"], { env: { ...process.env, ...SERVER_ENV }, stdio: "inherit" });

async function shutdown() {
  app.kill("SIGTERM");
  mail.close();
  await identityProvider.close();
  const cleanup = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${DATABASE_NAME} WITH (FORCE)`).catch(() => undefined);
  await cleanup.end();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
app.on("exit", (code) => {
  if (code !== null && code !== 0) process.exit(code);
});
