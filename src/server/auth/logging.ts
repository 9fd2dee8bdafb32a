// Better Auth's log lines, written by the app's logger with the id of the request they belong to.
import type { BetterAuthOptions } from "better-auth";
import { env, type LogLevel } from "@/env";
import { logger } from "@/server/logger";
import { currentRequestId } from "@/server/auth/endpoint-request-id";

/**
 * Better Auth's own threshold: its info lines are chatty (and name the email of every sign-up attempt), so they
 * are written only when LOG_LEVEL asks for debug.
 */
const BETTER_AUTH_LEVEL = {
  trace: "debug",
  debug: "debug",
  info: "warn",
  warn: "warn",
  error: "error",
  fatal: "error",
  silent: "error",
} as const satisfies Record<LogLevel, "debug" | "info" | "warn" | "error">;

/** The `logger` option of betterAuth(): its lines as JSON, with an Error under `err` and anything else in `detail`. */
export function betterAuthLogger(): NonNullable<BetterAuthOptions["logger"]> {
  return {
    disabled: env.LOG_LEVEL === "silent",
    level: BETTER_AUTH_LEVEL[env.LOG_LEVEL],
    log(level, message, ...args: unknown[]) {
      const fields: Record<string, unknown> = { component: "better-auth" };
      const requestId = currentRequestId();
      if (requestId) fields.requestId = requestId;
      const details = args.filter((arg) => {
        if (!(arg instanceof Error) || fields.err) return true;
        fields.err = arg;
        return false;
      });
      if (details.length > 0) fields.detail = details.length === 1 ? details[0] : details;
      logger[level](fields, message);
    },
  };
}
