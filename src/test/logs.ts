// Reads what the app logs: while a capture is on, every line the app's loggers write (src/server/log-output.ts)
// lands in `lines` instead of stdout. A test file that wants every line sets LOG_LEVEL before the app is imported:
//   vi.hoisted(() => { process.env.LOG_LEVEL = "debug"; });
import { redirectLogs } from "@/server/log-output";

export type LogLine = { level: string; msg: string; requestId?: string } & Record<string, unknown>;

export function captureLogs(): { raw: string[]; lines: () => LogLine[]; stop: () => void } {
  const raw: string[] = [];
  redirectLogs({ write: (line: string) => raw.push(line) });
  return {
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as LogLine),
    stop: () => redirectLogs(null),
  };
}
