// The app's logger: JSON lines on stdout at LOG_LEVEL (src/server/log-output.ts). Code that serves a request logs
// through that request's child (`ctx.log` in procedures), so each of its lines carries the request id.
import { env } from "@/env";
import { createLogger } from "@/server/log-output";

export type { Logger } from "pino";

export const logger = createLogger(env.LOG_LEVEL);
