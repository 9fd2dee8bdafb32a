// Migrates one template database per test run; every test file then gets a copy of it (see setup-database.ts).
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../scripts/migrate/engine";
import { pgliteExtensions } from "../server/db/pglite-extensions";
import { startIdentityProvider } from "./fixtures/identity-provider";
import { startGitHubStandIn, startGoogleStandIn } from "./fixtures/provider-stand-ins";
import { TEST_IDENTITY_PROVIDERS, TEST_PRESET_CLIENTS } from "./fixtures/identity-provider-clients";
import { startMailCapture } from "./mail-capture";
import { adminQuery, databaseUrl } from "./postgres-admin";

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL: the template database's name. */
    templateDatabase: string | null;
    /** PGlite: a gzipped data directory to load. */
    pgliteSnapshot: string | null;
    /** The mail capture's HTTP API (the app sends to its SMTP side through SMTP_URL). */
    mailApiUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // Started before the workers, which inherit SMTP_URL: every mail the app sends in tests really goes over SMTP.
  const mail = await startMailCapture();
  process.env.SMTP_URL = mail.smtpUrl;
  project.provide("mailApiUrl", mail.apiUrl);
  // A real OpenID provider the app is configured with (src/test/fixtures/identity-provider.ts).
  const identityProvider = await startIdentityProvider({ clients: Object.values(TEST_IDENTITY_PROVIDERS) });
  process.env.OIDC_PROVIDERS = Object.keys(TEST_IDENTITY_PROVIDERS).join(",");
  for (const [id, client] of Object.entries(TEST_IDENTITY_PROVIDERS)) {
    const prefix = `OIDC_${id.toUpperCase()}_`;
    process.env[`${prefix}ISSUER`] = identityProvider.issuer;
    process.env[`${prefix}CLIENT_ID`] = client.clientId;
    process.env[`${prefix}CLIENT_SECRET`] = client.clientSecret;
    process.env[`${prefix}NAME`] = client.name;
  }
  // The Google and GitHub presets too, their servers played by stand-ins on 127.0.0.1 (provider-stand-ins.ts) to
  // which every worker routes their hosts (setup-provider-hosts.ts).
  for (const [kind, client] of Object.entries(TEST_PRESET_CLIENTS)) {
    process.env[`${kind.toUpperCase()}_CLIENT_ID`] = client.clientId;
    process.env[`${kind.toUpperCase()}_CLIENT_SECRET`] = client.clientSecret;
  }
  const standIns = [
    await startGoogleStandIn(TEST_PRESET_CLIENTS.google),
    await startGitHubStandIn(TEST_PRESET_CLIENTS.github),
  ];
  process.env.PROVIDER_STAND_INS = JSON.stringify(standIns.map(({ origin, hosts }) => ({ origin, hosts })));
  const teardown = await prepareDatabase(project);
  return async () => {
    await teardown();
    await mail.close();
    await identityProvider.close();
    await Promise.all(standIns.map((standIn) => standIn.close()));
  };
}

async function prepareDatabase(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `taskforge_test_template_${randomBytes(4).toString("hex")}`;
    await adminQuery(url, `CREATE DATABASE ${template}`);
    await applyMigrations({ kind: "postgres", url: databaseUrl(url, template) });
    project.provide("templateDatabase", template);
    project.provide("pgliteSnapshot", null);
    return () => adminQuery(url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "taskforge-test-"));
  await applyMigrations({ kind: "pglite", dataDir: path.join(dir, "data") });
  const pglite = new PGlite(path.join(dir, "data"), { extensions: pgliteExtensions });
  await pglite.waitReady; // dumpDataDir on a PGlite still starting never settles
  const snapshot = path.join(dir, "snapshot.tar.gz");
  await fs.writeFile(snapshot, Buffer.from(await (await pglite.dumpDataDir("gzip")).arrayBuffer()));
  await pglite.close();
  project.provide("templateDatabase", null);
  project.provide("pgliteSnapshot", snapshot);
  return () => fs.rm(dir, { recursive: true, force: true });
}
