// How tRPC errors leave the server: zod's field errors flattened; in production, internals replaced by a
// generic message carrying the request id that is also in the server log.
import type { TRPCDefaultErrorShape, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { AuthRequirementError } from "@/server/api/middlewares/auth-requirement";
import type { Logger } from "@/server/logger";

/** Request ids of errors met before a context exists, noted by the HTTP handler's onError (which runs first). */
const requestIds = new WeakMap<TRPCError, string>();

export function noteRequestId(error: TRPCError, requestId: string): void {
  requestIds.set(error, requestId);
}

export function requestIdOfError(error: TRPCError): string | null {
  return requestIds.get(error) ?? null;
}

export function formatError({
  shape,
  error,
  requestId,
  production,
}: {
  shape: TRPCDefaultErrorShape;
  error: TRPCError;
  requestId: string | null;
  production: boolean;
}) {
  const zodError = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
  const hidden = production && error.code === "INTERNAL_SERVER_ERROR";
  const { stack, ...data } = shape.data;
  // What a FORBIDDEN asks of the caller (a fresh sign-in, a second factor), for the UI to prompt for it.
  const reason = error.cause instanceof AuthRequirementError ? error.cause.reason : null;
  return {
    ...shape,
    message: hidden ? `Something went wrong on our side (request ${requestId}).` : shape.message,
    data: { ...data, ...(production ? {} : { stack }), zodError, reason, requestId },
  };
}

/** An unexpected error goes to the log with its cause and procedure (the logger carries the request id); refusals do not. */
export function logUnexpectedError(log: Logger, error: TRPCError, procedure: string | undefined): void {
  if (error.code === "INTERNAL_SERVER_ERROR") log.error({ err: error.cause ?? error, procedure }, "procedure failed");
}
