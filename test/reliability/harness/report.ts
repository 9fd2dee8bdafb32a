// What a reliability script claims and measures: each claim passes or fails, figures are printed as a summary,
// and the exit code is non-zero when any claim failed (or the script itself broke).
import type { Reply } from "./client";
import { cleanUp, keepLogs } from "./services";

type Claim = { claim: string; ok: boolean; detail: string };

export class Report {
  private readonly claims: Claim[] = [];
  private readonly figures: Array<[string, string]> = [];
  private readonly started = performance.now();

  constructor(readonly title: string) {
    console.info(`\n=== ${title}`);
  }

  /** Records a claim; `detail` says what was seen, so a failure explains itself. */
  check(claim: string, ok: boolean, detail = ""): boolean {
    this.claims.push({ claim, ok, detail });
    console.info(`${ok ? "  pass" : "  FAIL"}  ${claim}${detail ? `  (${detail})` : ""}`);
    return ok;
  }

  figure(name: string, value: string | number): void {
    this.figures.push([name, typeof value === "number" ? String(Math.round(value * 10) / 10) : value]);
  }

  get failed(): number {
    return this.claims.filter((c) => !c.ok).length;
  }

  print(): void {
    const seconds = (performance.now() - this.started) / 1000;
    console.info(`\n--- ${this.title}: summary`);
    const width = Math.max(...this.figures.map(([name]) => name.length), 10);
    for (const [name, value] of this.figures) console.info(`  ${name.padEnd(width)}  ${value}`);
    const passed = this.claims.length - this.failed;
    console.info(
      `  ${"claims".padEnd(width)}  ${passed}/${this.claims.length} passed${this.failed ? `, ${this.failed} FAILED` : ""}`,
    );
    console.info(`  ${"duration".padEnd(width)}  ${seconds.toFixed(0)} s`);
    for (const c of this.claims.filter((claim) => !claim.ok))
      console.info(`  FAILED: ${c.claim}${c.detail ? ` (${c.detail})` : ""}`);
  }
}

/** Runs a script's body with cleanup guaranteed; exits 1 when a claim failed or the body threw. */
export async function runScript(report: Report, body: () => Promise<void>): Promise<never> {
  let crashed = false;
  try {
    await body();
  } catch (error) {
    crashed = true;
    console.error(
      `\n${report.title}: the script stopped:`,
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
  } finally {
    await cleanUp();
  }
  if (crashed || report.failed > 0) {
    const logs = await keepLogs();
    if (logs) console.info(`\nserver logs kept in ${logs}`);
  }
  report.print();
  if (crashed) console.info("  the script did not run to the end: FAILED");
  process.exit(crashed || report.failed > 0 ? 1 : 0);
}

/* Figures from replies ------------------------------------------------------------------------- */

/** How a reply ended, for "errors by kind": `200`, `500 INTERNAL_SERVER_ERROR`, `timeout`, `network: …`. */
export function kindOf(reply: Reply): string {
  if (reply.status === 0)
    return reply.failure?.startsWith("network") ? "network error" : (reply.failure ?? "no answer");
  return reply.code ? `${reply.status} ${reply.code}` : String(reply.status);
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return entries.length ? entries.map(([kind, n]) => `${kind} ×${n}`).join(", ") : "none";
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Internals that must never reach a client: driver, ORM and SQL vocabulary, socket errors, stack frames.
 * (A generic message names no technology.)
 */
const INTERNALS =
  /prisma|postgres|\bpg\b|sql|select\s|insert\s|update\s+"|relation "|violates|econn|etimedout|connection terminated|timeout exceeded|driveradapter|ioredis|redis|\bat\s+\S+\s+\(|node_modules|\.js:\d+/i;

/** The part of an error reply that leaks internals, or null. */
export function leakIn(reply: Reply): string | null {
  if (reply.status < 400) return null;
  const match = INTERNALS.exec(reply.body);
  return match ? reply.body.slice(Math.max(0, match.index - 40), match.index + 60) : null;
}
