// tRPC's initialisation: the context type, superjson (with a faster serialiser, transformer.ts), and the error
// formatter that hides internals in production. Middlewares are in middlewares/, the procedures built from them in
// procedures.ts, the context in context.ts.
import { initTRPC } from "@trpc/server";
import { env } from "@/env";
import type { InnerContext } from "@/server/api/context";
import { formatError, requestIdOfError } from "@/server/api/error-formatter";
import { transformer } from "@/server/api/transformer";

const isProduction = env.NODE_ENV === "production";

const t = initTRPC.context<InnerContext>().create({
  transformer,
  isDev: !isProduction,
  // Errors met before a context exists (a refused batch, a failed session lookup) get the id from the HTTP handler.
  errorFormatter: ({ shape, error, ctx }) =>
    formatError({ shape, error, requestId: ctx?.requestId ?? requestIdOfError(error), production: isProduction }),
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;
export const middleware = t.middleware;
export const baseProcedure = t.procedure;
