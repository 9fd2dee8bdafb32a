// The account is the user's: export everything we hold about them, or delete it all (src/server/services/account.ts).
import type { TRPCRouterRecord } from "@trpc/server";
import { deleteAccountInput } from "@/lib/validation/account";
import { noInput } from "@/lib/validation/no-input";
import { protectedProcedure, sensitiveProcedure } from "@/server/api/procedures";
import { deleteAccount, exportAccount } from "@/server/services/account";

export const accountRouter = {
  /**
   * One JSON document. A mutation, as it writes the audit event: a query is a GET, which any site can make a
   * signed-in browser send.
   */
  export: protectedProcedure
    .input(noInput)
    .mutation(({ ctx }) => exportAccount(ctx.db, { ...ctx.user, headers: ctx.headers })),

  /**
   * From a fresh session, after the password is entered again; wrong passwords count against the account's sign-in
   * limit.
   */
  delete: sensitiveProcedure
    .input(deleteAccountInput)
    .mutation(({ ctx, input }) => deleteAccount(ctx.db, { ...ctx.user, headers: ctx.headers }, input.password)),
} satisfies TRPCRouterRecord;
