// "Download my data" as CSV, for a spreadsheet: one file, one table per part of the export (profile, tasks,
// sessions, activity), each under its name and a header row, a blank line between them. No server imports: the
// browser writes it from the same document as the JSON download.

type Cell = string | number | boolean | Date | null | undefined | object;
type Row = Record<string, Cell>;

function text(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * RFC 4180 quoting, and a text that a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first)
 * is kept as text by a leading apostrophe (OWASP's advice against CSV injection): a task title is user input.
 */
export function csvCell(value: Cell): string {
  let cell = text(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function table(name: string, rows: Row[]): string[] {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return [name, columns.join(","), ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(","))];
}

export function accountExportCsv(data: {
  exportedAt: Date;
  profile: Row;
  tasks: Row[];
  sessions: Row[];
  authEvents: Row[];
}): string {
  const parts = [
    table("Exported", [{ exportedAt: data.exportedAt }]),
    table("Profile", [data.profile]),
    table("Tasks", data.tasks),
    table("Sessions", data.sessions),
    table("Activity", data.authEvents),
  ];
  return `${parts.map((lines) => lines.join("\r\n")).join("\r\n\r\n")}\r\n`;
}
