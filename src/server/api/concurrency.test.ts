// Concurrent writers: optimistic versions pick exactly one winner each; concurrent creates lose nothing.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { codeOf, createTestCaller, createUser } from "@/test/fixtures";

describe("concurrency", () => {
  it("50 clients updating one task: one winner per version, the rest CONFLICT, the row is the last successful write", async () => {
    const owner = await createUser();
    const callers = await Promise.all(Array.from({ length: 50 }, () => createTestCaller(owner)));
    const task = await callers[0]!.task.create({ title: "contended" });
    const successes: { version: number; title: string }[] = [];
    let conflicts = 0;
    // Two rounds (the owner's 101 mutations stay under the per-user limit); in each, all 50 clients race to
    // write on the version they all read.
    for (let round = 0; round < 2; round++) {
      const { version } = await callers[0]!.task.byId({ id: task.id });
      const results = await Promise.allSettled(
        callers.map((caller, i) => caller.task.update({ id: task.id, version, title: `round ${round} client ${i}` })),
      );
      const won = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
      expect(won).toHaveLength(1);
      successes.push(...won);
      for (const result of results) {
        if (result.status === "rejected") {
          expect(await codeOf(Promise.reject(result.reason))).toBe("CONFLICT");
          conflicts++;
        }
      }
    }
    expect(successes).toHaveLength(2);
    expect(conflicts).toBe(2 * 49);
    const final = await db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(final.version).toBe(3);
    expect(final.title).toBe(successes.at(-1)?.title);
  });

  it("1,000 concurrent task.create from 20 users: exactly 1,000 rows, each owned right", async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => createUser()));
    const callers = await Promise.all(users.map((user) => createTestCaller(user)));
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => callers[i % 20]!.task.create({ title: `task ${i} of user ${i % 20}` })),
    );
    expect(new Set(results.map((task) => task.id)).size).toBe(1000);
    for (const [index, user] of users.entries()) {
      const titles = await db.task.findMany({ where: { userId: user.id }, select: { title: true } });
      expect(titles).toHaveLength(50);
      expect(titles.every(({ title }) => title.endsWith(`of user ${index}`))).toBe(true);
    }
  });
});
