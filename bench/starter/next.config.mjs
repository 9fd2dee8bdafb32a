// The baseline app imports the app's code from ../../src, so Turbopack's root is the repository.
import path from "node:path";

/** @type {import("next").NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  turbopack: { root: path.resolve(import.meta.dirname, "../..") },
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@node-rs/argon2", "pg"],
};

export default nextConfig;
