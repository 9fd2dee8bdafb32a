// Keyset pagination on (createdAt, id), newest first, with an opaque cursor.
import { TRPCError } from "@trpc/server";
import { z } from "zod";

type Position = { createdAt: Date; id: string };

const cursorShape = z.tuple([z.iso.datetime(), z.string().min(1).max(64)]);

export function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url");
}

function decodeCursor(cursor: string): Position {
  try {
    const [createdAt, id] = cursorShape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid cursor" });
  }
}

/**
 * The `where` fragment for rows after `cursor` in (createdAt desc, id desc) order. The OR alone is a filter
 * PostgreSQL checks on every row from the top of the list, so page n would read n pages of index entries; the
 * redundant `createdAt <= cursor` is an index condition, so the walk starts at the cursor, however deep.
 */
export function afterCursor(cursor: string | undefined) {
  if (!cursor) return {};
  const { createdAt, id } = decodeCursor(cursor);
  return { createdAt: { lte: createdAt }, OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

export const newestFirst = [{ createdAt: "desc" }, { id: "desc" }] as const;

/** Splits a `take: limit + 1` result into the page and the cursor of the next one. */
export function toPage<T extends Position>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
