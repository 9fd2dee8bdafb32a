// Counts the SQL statements the app sends, at the driver adapter: below Prisma, so Better Auth's queries, raw
// queries and transaction statements all count; and can make them fail, as a database that went away would.
// setup-database.ts puts every test database behind it.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/** A statement as the adapter received it: SQL with $n placeholders and their values. */
export type Statement = Pick<SqlQuery, "sql" | "args">;

let recording: Statement[] | null = null;
let failure: Error | null = null;

/** `target` with some members replaced; everything else is the target's own (methods bound to it). */
function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (property in overrides) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

function recorded<R>(run: (query: SqlQuery) => Promise<R>) {
  return (query: SqlQuery) => {
    recording?.push({ sql: query.sql, args: query.args });
    return failure ? Promise.reject(failure) : run(query);
  };
}

function countedTransaction(transaction: Transaction): Transaction {
  return withOverrides(transaction, {
    queryRaw: recorded((query) => transaction.queryRaw(query)),
    executeRaw: recorded((query) => transaction.executeRaw(query)),
  });
}

function countedAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return withOverrides(adapter, {
    queryRaw: recorded((query) => adapter.queryRaw(query)),
    executeRaw: recorded((query) => adapter.executeRaw(query)),
    // The adapter sends BEGIN itself, before handing the transaction over.
    startTransaction: async (isolationLevel) => {
      recording?.push({ sql: "BEGIN", args: [] });
      return countedTransaction(await adapter.startTransaction(isolationLevel));
    },
  });
}

export function countingAdapter(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return withOverrides(factory, { connect: async () => countedAdapter(await factory.connect()) });
}

/** The SQL statements sent to the database while `run` runs. */
export async function statementsDuring(run: () => Promise<unknown>): Promise<Statement[]> {
  const statements: Statement[] = [];
  recording = statements;
  try {
    await run();
  } finally {
    recording = null;
  }
  return statements;
}

/** Every statement sent while `run` runs fails with `error`, as if the connection to the database had dropped. */
export async function databaseFailsDuring<T>(run: () => Promise<T>): Promise<T> {
  failure = new Error("Connection terminated unexpectedly");
  try {
    return await run();
  } finally {
    failure = null;
  }
}
