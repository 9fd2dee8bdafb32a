// Prisma CLI configuration. The client is generated offline (Rust-free, driver adapters);
// migrations run through scripts/db-migrate.ts on Prisma's WebAssembly schema engine.
import path from "node:path";
import { defineConfig } from "prisma/config";

// `prisma generate` never needs the native schema engine, but the CLI insists on a path.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "scripts", "no-native-schema-engine");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
