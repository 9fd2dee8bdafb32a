// Due dates: picked as a calendar day (due at the end of that day, local time), shown relative to now.
const DAY_MS = 86_400_000;
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function fromDateInput(value: string): Date | null {
  return value ? new Date(`${value}T23:59:59`) : null;
}

export function toDateInput(date: Date | null): string {
  if (!date) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "today", "tomorrow", "in 3 days", "2 weeks ago"… counted in calendar days. */
export function formatDue(dueAt: Date, now: Date = new Date()): string {
  const days = Math.round((startOfDay(dueAt) - startOfDay(now)) / DAY_MS);
  if (Math.abs(days) >= 60) return relative.format(Math.round(days / 30), "month");
  if (Math.abs(days) >= 14) return relative.format(Math.round(days / 7), "week");
  return relative.format(days, "day");
}

export function isOverdue(task: { dueAt: Date | null; completed: boolean }, now: Date = new Date()): boolean {
  return !task.completed && task.dueAt !== null && task.dueAt.getTime() < now.getTime();
}
