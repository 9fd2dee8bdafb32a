// user.list stays fast as users grow: the list walks the (created_at, id) index from the newest (or from the
// cursor) and stops after a page; a search ("contains", any case) looks the term up in the trigram indexes of
// email and name instead of reading every user. Checked on the exact SQL Prisma sends, after ANALYZE, over
// fewer than 30,000 rows, so ANALYZE reads them all and the statistics (and plans) are the same at every run.
// (`npm run bench:growth` times it for 1,000 against 100,000 users.)
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTestCaller, createUser } from "@/test/fixtures";
import { describePlan, nodeTypes, type PlanNode, planOf, scansOf } from "@/test/query-plan";

const BY_DATE = "users_created_at_id_idx";
const EMAIL_TRGM = "users_email_trgm_idx";
const NAME_TRGM = "users_name_trgm_idx";
const USERS = 10_000;

let admin: Awaited<ReturnType<typeof createTestCaller>>;

beforeAll(async () => {
  admin = await createTestCaller(await createUser({ role: "admin" }));
  await createUser({ name: "Marguerite Okonkwo", email: "m.okonkwo@example.org" });
  await db.$executeRaw`
    INSERT INTO users (id, name, email, email_verified, banned, created_at, updated_at)
    SELECT 'plan-' || g, f.name || ' ' || l.name, lower(f.name) || '.' || lower(l.name) || g || '@example.com',
           true, g % 200 = 0, now() - g * interval '1 minute', now()
    FROM generate_series(1, ${USERS}::int) AS g
    CROSS JOIN LATERAL (SELECT (ARRAY['Anna', 'Ben', 'Chloe', 'David', 'Elena', 'Felix', 'Grace'])[1 + g % 7] AS name) f
    CROSS JOIN LATERAL (SELECT (ARRAY['Smith', 'Garcia', 'Rossi', 'Tanaka', 'Kim', 'Singh', 'Novak', 'Berg'])[1 + g / 7 % 8] AS name) l`;
  // VACUUM as autovacuum would after such a burst: it also moves the new entries of the trigram (GIN) indexes
  // from their pending list into the index proper, as a growing table's would be.
  await db.$executeRaw`VACUUM ANALYZE users`;
});

const BANNED = "users_banned_created_at_id_idx";

const planOfList = (input: { cursor?: string; search?: string; banned?: boolean }) =>
  planOf(() => admin.user.list({ limit: 20, ...input }), "ORDER BY");

function expectDateWalk(plan: PlanNode[]): PlanNode {
  const [walk] = scansOf(plan, BY_DATE);
  expect(walk, describePlan(plan)).toBeDefined();
  expect(walk?.["Node Type"]).toMatch(/^Index (Only )?Scan$/);
  expect(nodeTypes(plan)).not.toContain("Sort");
  expect(nodeTypes(plan)).not.toContain("Seq Scan");
  return walk as PlanNode;
}

describe("user.list query plan", () => {
  it("the first page walks the (created_at, id) index from the newest, with no Sort", async () => {
    expectDateWalk(await planOfList({}));
  });

  it("a later page starts that walk at the cursor", async () => {
    const { nextCursor } = await admin.user.list({ limit: 20 });
    expect(nextCursor).not.toBeNull();
    const walk = expectDateWalk(await planOfList({ cursor: nextCursor ?? undefined }));
    expect(walk["Index Cond"]).toMatch(/created_at <= /);
  });

  it("a search looks the term up in the trigram indexes of email and name, reading no other user", async () => {
    for (const search of ["okonkwo", "M.OKONKWO@EXAMPLE", "Marguerite"]) {
      const plan = await planOfList({ search });
      expect(scansOf(plan, EMAIL_TRGM), describePlan(plan)).toHaveLength(1);
      expect(scansOf(plan, NAME_TRGM), describePlan(plan)).toHaveLength(1);
      expect(nodeTypes(plan)).not.toContain("Seq Scan");
      const { items } = await admin.user.list({ limit: 20, search });
      expect(items.map((user) => user.name)).toEqual(["Marguerite Okonkwo"]);
    }
  });

  it("a term many users share is found by walking from the newest, which stops after a page", async () => {
    const plan = await planOfList({ search: "anna" });
    expect(nodeTypes(plan)).not.toContain("Seq Scan");
    const { items, nextCursor } = await admin.user.list({ limit: 20, search: "anna" });
    expect(items).toHaveLength(20);
    expect(nextCursor).not.toBeNull();
  });

  it("the banned filter walks the partial index of banned users from the newest (or the cursor): no other user is read", async () => {
    const first = await admin.user.list({ limit: 20, banned: true });
    expect(first.items).toHaveLength(20);
    expect(first.items.every((user) => user.banned)).toBe(true);
    for (const cursor of [undefined, first.nextCursor ?? undefined]) {
      const plan = await planOfList({ banned: true, cursor });
      const [walk] = scansOf(plan, BANNED);
      expect(walk, describePlan(plan)).toBeDefined();
      expect(nodeTypes(plan)).not.toContain("Sort");
      expect(nodeTypes(plan)).not.toContain("Seq Scan");
      if (cursor) expect(walk?.["Index Cond"]).toMatch(/created_at <= /);
    }
  });
});
