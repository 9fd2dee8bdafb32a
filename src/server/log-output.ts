// How log lines are written: pino's JSON, one line per event on stdout, secrets redacted. It needs no
// configuration, so a failed start-up is logged the same way (src/server/startup.ts); the app's logger, at
// LOG_LEVEL, is src/server/logger.ts.
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from "pino";

/** Keys whose values never reach the log, whoever logs the object that holds them (us or a library). */
const SECRET_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "secret",
  "authorization",
  "cookie",
  "set-cookie",
  "set-auth-token",
];
/** Where those keys may sit one level down: headers, and the details libraries pass along with a message. */
const PARENTS = ["headers", "req.headers", "res.headers", "body", "detail", "detail.headers", "detail[*]"];

const segment = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
const REDACTED_PATHS = ["", ...PARENTS].flatMap((parent) =>
  SECRET_KEYS.map((key) => (parent ? `${parent}${segment(key)}` : segment(key).replace(/^\./, ""))),
);

type LineSink = { write(line: string): unknown };

/**
 * Every logger in the process writes through this one object, kept on globalThis because `npm start` loads the
 * server code twice (once for its own listener, once inside Next's build) and both must share one stdout stream.
 * Asynchronous: lines are buffered while a write is in flight and flushed when the process exits.
 */
type LogOutput = DestinationStream & { stdout: LineSink; sink: LineSink };

function stdoutOutput(): LogOutput {
  const stdout = pino.destination({ dest: 1, sync: false });
  const output: LogOutput = { stdout, sink: stdout, write: (line: string) => output.sink.write(line) };
  return output;
}

const globalForLogs = globalThis as unknown as { taskforgeLogOutput?: LogOutput };
const output: LogOutput = (globalForLogs.taskforgeLogOutput ??= stdoutOutput());

/** Tests read what the app logs by sending the lines to `sink` (null: back to stdout). */
export function redirectLogs(sink: LineSink | null): void {
  output.sink = sink ?? output.stdout;
}

export function createLogger(level: LevelWithSilent): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    output,
  );
}
