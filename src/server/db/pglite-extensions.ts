// The PostgreSQL extensions the migrations create (see `extensions` in prisma/schema.prisma). A PostgreSQL server
// ships them (contrib); PGlite ships them as bundles that every instance must load when it opens, or a database
// that uses them cannot even be written to. Pass this to every `new PGlite(…)`.
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

export const pgliteExtensions = { pg_trgm };
