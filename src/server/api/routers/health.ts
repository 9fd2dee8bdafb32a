// Liveness of the API and its database.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { publicProcedure } from "@/server/api/procedures";
import { noInput } from "@/lib/validation/no-input";

export const healthRouter = {
  check: publicProcedure.input(noInput).query(async ({ ctx }) => {
    try {
      await ctx.db.$queryRaw`SELECT 1`;
    } catch (cause) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The database is unreachable.", cause });
    }
    return { status: "ok" as const, db: "ok" as const };
  }),
} satisfies TRPCRouterRecord;
