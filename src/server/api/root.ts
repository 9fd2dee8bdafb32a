// The one place routers are assembled: appRouter, its type for clients, and the server-side caller.
import { accountRouter } from "@/server/api/routers/account";
import { healthRouter } from "@/server/api/routers/health";
import { mailRouter } from "@/server/api/routers/mail";
import { organizationRouter } from "@/server/api/routers/organization";
import { sessionRouter } from "@/server/api/routers/session";
import { taskRouter } from "@/server/api/routers/task";
import { userRouter } from "@/server/api/routers/user";
import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";

export const appRouter = createTRPCRouter({
  health: healthRouter,
  user: userRouter,
  task: taskRouter,
  session: sessionRouter,
  account: accountRouter,
  mail: mailRouter,
  organization: organizationRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process: `createCaller(await createTRPCContext({ headers }))`. */
export const createCaller = createCallerFactory(appRouter);
