// The mail outbox, for admins: mails that failed (given up, or waiting for a retry), and sending a given-up one again.
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { retryMailInput, troubledMailInput } from "@/lib/validation/mail";
import { adminProcedure } from "@/server/api/procedures";
import { recordAuthEvent } from "@/server/audit";
import { retryMail, troubledMails } from "@/server/email/outbox";

export const mailRouter = {
  /** Given up and delayed mails, newest first: recipient, template, attempts, last error; never a mail's text. */
  troubled: adminProcedure.input(troubledMailInput).query(({ ctx, input }) => troubledMails(ctx.db, input)),

  /** Queues a given-up mail again, from its first attempt. */
  retry: adminProcedure.input(retryMailInput).mutation(async ({ ctx, input }) => {
    if (!(await retryMail(ctx.db, input.id))) {
      throw new TRPCError({ code: "NOT_FOUND", message: "No given-up mail with this id." });
    }
    await recordAuthEvent(ctx.db, {
      type: "mail-retried",
      headers: ctx.headers,
      detail: { outboxId: input.id, by: ctx.user.id },
    });
    return { id: input.id };
  }),
} satisfies TRPCRouterRecord;
