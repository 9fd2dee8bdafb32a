// Keyset pagination on (createdAt, id), newest first, with an opaque cursor.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { storableDate } from "@/lib/validation/storable";

type Position = { createdAt: Date; id: string };

/**
 * A cursor is client input: a forged one must not reach the query with a date or an id its columns cannot hold,
 * so `id` is the shape of the table's ids (a UUID for tasks and audit events).
 */
const positionShape = (id: z.ZodType<string>) =>
  z.tuple([
    z.iso
      .datetime()
      .transform((iso) => new Date(iso))
      .pipe(storableDate()),
    id,
  ]);

export function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url");
}

function decodeCursor(cursor: string, id: z.ZodType<string>): Position {
  try {
    const [createdAt, rowId] = positionShape(id).parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { createdAt, id: rowId };
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid cursor" });
  }
}

/**
 * The `where` fragment for rows after `cursor` in (createdAt desc, id desc) order; `id` is the shape of row ids. The
 * OR alone is a filter PostgreSQL checks on every row from the top of the list, so page n would read n pages of index
 * entries; the redundant `createdAt <= cursor` is an index condition, so the walk starts at the cursor, however deep.
 */
export function afterCursor(cursor: string | undefined, id: z.ZodType<string>) {
  if (!cursor) return {};
  const { createdAt, id: lastId } = decodeCursor(cursor, id);
  return { createdAt: { lte: createdAt }, OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: lastId } }] };
}

export const newestFirst = [{ createdAt: "desc" }, { id: "desc" }] as const;

/** Splits a `take: limit + 1` result into the page and the cursor of the next one. */
export function toPage<T extends Position>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
