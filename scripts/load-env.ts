// Imported first by the commands that run outside the server (db:migrate, db:seed): loads the .env files into
// process.env with Next's loader, files and precedence, as src/serve.ts does, so a DATABASE_URL in .env reaches
// the migrations and the seed as it reaches the app. Variables already set in the environment win, as there.
import nextEnv from "@next/env";

// `npm run` starts scripts in the project root, the folder src/serve.ts reads; relative paths in the
// configuration (PGLITE_DIR) are resolved from the same folder.
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");
