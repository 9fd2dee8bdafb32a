import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "@/server/api/pagination";
import { codeOf, createTestCaller, createUser, type TestUser } from "@/test/fixtures";

type Caller = Awaited<ReturnType<typeof createTestCaller>>;

let owner: TestUser;
let ownerCaller: Caller;
let otherCaller: Caller;
let adminCaller: Caller;
let anonymous: Caller;

beforeAll(async () => {
  owner = await createUser();
  ownerCaller = await createTestCaller(owner);
  otherCaller = await createTestCaller(await createUser());
  adminCaller = await createTestCaller(await createUser({ role: "admin" }));
  anonymous = await createTestCaller(null);
});

describe("task.create", () => {
  it("creates a task with defaults, trimmed title and version 1", async () => {
    const task = await ownerCaller.task.create({ title: "  Write the report  " });
    expect(task).toMatchObject({
      title: "Write the report",
      description: "",
      completed: false,
      priority: "medium",
      dueAt: null,
      version: 1,
    });
    expect(task.createdAt).toBeInstanceOf(Date);
    expect(Object.keys(task).sort()).toEqual(
      ["completed", "createdAt", "description", "dueAt", "id", "priority", "title", "updatedAt", "version"].sort(),
    );
  });

  it("is UNAUTHORIZED for an anonymous caller", async () => {
    expect(await codeOf(anonymous.task.create({ title: "x" }))).toBe("UNAUTHORIZED");
  });

  it.each([
    ["an empty title", { title: "   " }],
    ["a title over 200 characters", { title: "x".repeat(201) }],
    ["a description over 5,000 characters", { title: "ok", description: "x".repeat(5001) }],
    ["an unknown priority", { title: "ok", priority: "urgent" }],
    ["an unknown key", { title: "ok", userId: "someone-else" }],
    ["a NUL character, which PostgreSQL cannot store", { title: "a\u0000b" }],
    ["an unpaired surrogate, which would be stored as U+FFFD", { title: "ok", description: "\uD800" }],
    ["a due date in year 0, which PostgreSQL does not have", { title: "ok", dueAt: new Date("0000-12-31T00:00:00Z") }],
    ["a due date past year 9999", { title: "ok", dueAt: new Date("+010000-01-01T00:00:00Z") }],
  ])("refuses %s with BAD_REQUEST and field errors", async (_, input) => {
    const before = await ownerCaller.task.stats();
    const error = await ownerCaller.task.create(input as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect(await ownerCaller.task.stats()).toEqual(before);
  });
});

describe("task.byId", () => {
  it("returns the owner's task", async () => {
    const task = await ownerCaller.task.create({ title: "mine" });
    expect(await ownerCaller.task.byId({ id: task.id })).toEqual(task);
  });

  it("another user's task is FORBIDDEN, also for an admin", async () => {
    const task = await ownerCaller.task.create({ title: "private" });
    expect(await codeOf(otherCaller.task.byId({ id: task.id }))).toBe("FORBIDDEN");
    expect(await codeOf(adminCaller.task.byId({ id: task.id }))).toBe("FORBIDDEN");
  });

  it("an unknown id is NOT_FOUND; a malformed one is BAD_REQUEST", async () => {
    expect(await codeOf(ownerCaller.task.byId({ id: "0190a8f0-0000-7000-8000-000000000000" }))).toBe("NOT_FOUND");
    expect(await codeOf(ownerCaller.task.byId({ id: "not-a-uuid" }))).toBe("BAD_REQUEST");
  });

  it("is UNAUTHORIZED for an anonymous caller", async () => {
    const task = await ownerCaller.task.create({ title: "x" });
    expect(await codeOf(anonymous.task.byId({ id: task.id }))).toBe("UNAUTHORIZED");
  });
});

describe("task.update", () => {
  it("applies the change and bumps the version", async () => {
    const task = await ownerCaller.task.create({ title: "draft" });
    const updated = await ownerCaller.task.update({ id: task.id, version: 1, title: "final", completed: true });
    expect(updated).toMatchObject({ title: "final", completed: true, version: 2 });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(task.updatedAt.getTime());
  });

  it("a stale version is CONFLICT and loses nothing", async () => {
    const task = await ownerCaller.task.create({ title: "v1" });
    await ownerCaller.task.update({ id: task.id, version: 1, title: "first writer" });
    expect(await codeOf(ownerCaller.task.update({ id: task.id, version: 1, title: "second writer" }))).toBe("CONFLICT");
    expect(await ownerCaller.task.byId({ id: task.id })).toMatchObject({ title: "first writer", version: 2 });
  });

  it("concurrent writers of one version: exactly one wins", async () => {
    const task = await ownerCaller.task.create({ title: "race" });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => ownerCaller.task.update({ id: task.id, version: 1, title: `writer ${i}` })),
    );
    const winners = results.filter((result) => result.status === "fulfilled");
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect((result.reason as TRPCError).code).toBe("CONFLICT");
    }
    const final = await ownerCaller.task.byId({ id: task.id });
    expect(final.version).toBe(2);
    expect(final.title).toBe((winners[0] as PromiseFulfilledResult<{ title: string }>).value.title);
  });

  it("another user's task is FORBIDDEN and unchanged; unknown is NOT_FOUND", async () => {
    const task = await ownerCaller.task.create({ title: "keep" });
    expect(await codeOf(otherCaller.task.update({ id: task.id, version: 1, title: "stolen" }))).toBe("FORBIDDEN");
    expect(await codeOf(adminCaller.task.update({ id: task.id, version: 1, title: "stolen" }))).toBe("FORBIDDEN");
    expect((await ownerCaller.task.byId({ id: task.id })).title).toBe("keep");
    expect(
      await codeOf(ownerCaller.task.update({ id: "0190a8f0-0000-7000-8000-000000000000", version: 1, title: "x" })),
    ).toBe("NOT_FOUND");
  });

  it("refuses bad input and an anonymous caller", async () => {
    const task = await ownerCaller.task.create({ title: "x" });
    expect(await codeOf(ownerCaller.task.update({ id: task.id, version: 0 }))).toBe("BAD_REQUEST");
    expect(await codeOf(ownerCaller.task.update({ id: task.id, version: 2 ** 31 }))).toBe("BAD_REQUEST"); // past int4
    expect(await codeOf(ownerCaller.task.update({ id: task.id, version: 1, title: "" }))).toBe("BAD_REQUEST");
    expect(await codeOf(anonymous.task.update({ id: task.id, version: 1, title: "y" }))).toBe("UNAUTHORIZED");
  });
});

describe("task.delete", () => {
  it("deletes the owner's task", async () => {
    const task = await ownerCaller.task.create({ title: "bye" });
    expect(await ownerCaller.task.delete({ id: task.id })).toEqual({ id: task.id });
    expect(await codeOf(ownerCaller.task.byId({ id: task.id }))).toBe("NOT_FOUND");
  });

  it("another user's task is FORBIDDEN and survives; unknown is NOT_FOUND; anonymous UNAUTHORIZED", async () => {
    const task = await ownerCaller.task.create({ title: "stay" });
    expect(await codeOf(otherCaller.task.delete({ id: task.id }))).toBe("FORBIDDEN");
    expect(await codeOf(anonymous.task.delete({ id: task.id }))).toBe("UNAUTHORIZED");
    expect(await ownerCaller.task.byId({ id: task.id })).toBeTruthy();
    expect(
      await codeOf(ownerCaller.task.delete({ id: task.id }).then(() => ownerCaller.task.delete({ id: task.id }))),
    ).toBe("NOT_FOUND");
  });
});

describe("task.list", () => {
  it("pages through the user's own tasks, newest first, without gaps or repeats", async () => {
    const user = await createUser();
    const caller = await createTestCaller(user);
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await caller.task.create({ title: `task ${i}` }));
    await otherCaller.task.create({ title: "not mine" });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.task.list({ limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((task) => task.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(created.map((task) => task.title).reverse());
  });

  it("filters by completion", async () => {
    const caller = await createTestCaller(await createUser());
    const done = await caller.task.create({ title: "done" });
    await caller.task.update({ id: done.id, version: 1, completed: true });
    await caller.task.create({ title: "open" });
    expect((await caller.task.list({ completed: true })).items.map((t) => t.title)).toEqual(["done"]);
    expect((await caller.task.list({ completed: false })).items.map((t) => t.title)).toEqual(["open"]);
    expect((await caller.task.list()).items).toHaveLength(2);
  });

  describe("orders, filters and search", () => {
    const HOUR = 3_600_000;
    let caller: Caller;
    type Listed = Awaited<ReturnType<Caller["task"]["list"]>>["items"][number];
    let all: Listed[];
    const rank = { high: 0, medium: 1, low: 2 } as const;

    /** Every page of one view, two tasks at a time, through the cursors the list hands out. */
    async function pages(input: Parameters<Caller["task"]["list"]>[0] & object) {
      const seen: Listed[] = [];
      let cursor: string | undefined;
      do {
        const page = await caller.task.list({ ...input, limit: 2, cursor });
        seen.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    }
    const ids = (tasks: Listed[]) => tasks.map((task) => task.id);

    beforeAll(async () => {
      caller = await createTestCaller(await createUser());
      const now = Date.now();
      // Ties on purpose: two tasks share a due date, several a priority; some have no due date.
      const specs = [
        { title: "Pay rent", priority: "high", dueAt: new Date(now - 2 * HOUR) },
        {
          title: "Book dentist",
          priority: "low",
          dueAt: new Date(now + 5 * HOUR),
          description: "Ask about the passport photo",
        },
        { title: "Call mum", priority: "medium", dueAt: new Date(now + 5 * HOUR) },
        { title: "Renew PASSPORT", priority: "high", dueAt: null },
        { title: "Water plants", priority: "medium", dueAt: new Date(now + 50 * HOUR) },
        { title: "Old report", priority: "high", dueAt: new Date(now - 30 * HOUR) },
        { title: "Someday", priority: "low", dueAt: null },
        { title: "100% done_ish", priority: "medium", dueAt: null },
      ] as const;
      for (const spec of specs) await caller.task.create(spec);
      const report = (await caller.task.list({ search: "Old report" })).items[0];
      if (report) await caller.task.update({ id: report.id, version: report.version, completed: true });
      all = await pages({});
      await otherCaller.task.create({ title: "Pay rent too", priority: "high", dueAt: new Date(now - HOUR) });
    });

    it("newest first is the default order", async () => {
      expect(all).toHaveLength(8);
      expect(all.map((task) => task.title)[0]).toBe("100% done_ish");
    });

    it("by due date: soonest first, ties by id, then the tasks with no due date, without gaps or repeats", async () => {
      const dated = all.filter((task) => task.dueAt !== null);
      const expected = [
        ...dated.sort((a, b) => (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) || a.id.localeCompare(b.id)),
        ...all.filter((task) => task.dueAt === null).sort((a, b) => a.id.localeCompare(b.id)),
      ];
      expect(ids(await pages({ sort: "due" }))).toEqual(ids(expected));
    });

    it("by priority: high, medium, low, newest first within each, without gaps or repeats", async () => {
      const expected = [...all].sort((a, b) => rank[a.priority] - rank[b.priority]);
      expect(ids(await pages({ sort: "priority" }))).toEqual(ids(expected));
      const open = expected.filter((task) => !task.completed);
      expect(ids(await pages({ sort: "priority", completed: false }))).toEqual(ids(open));
    });

    it("overdue: the open tasks past their due date, soonest first", async () => {
      expect((await pages({ sort: "due", due: "overdue" })).map((task) => task.title)).toEqual(["Pay rent"]);
    });

    it("due today: the open tasks due within the next 24 hours", async () => {
      const titles = (await pages({ sort: "due", due: "today" })).map((task) => task.title);
      expect(titles.sort()).toEqual(["Book dentist", "Call mum"]);
    });

    it("the due filters go with the due-date order only", async () => {
      expect(await codeOf(caller.task.list({ due: "overdue" }))).toBe("BAD_REQUEST");
      expect(await codeOf(caller.task.list({ sort: "priority", due: "today" }))).toBe("BAD_REQUEST");
    });

    it("search finds the term in titles and notes, any case, in every order, and only the caller's tasks", async () => {
      for (const sort of ["newest", "due", "priority"] as const) {
        const titles = (await pages({ sort, search: "passport" })).map((task) => task.title);
        expect(titles.sort()).toEqual(["Book dentist", "Renew PASSPORT"]);
      }
      expect(await pages({ search: "Pay rent too" })).toEqual([]);
    });

    it("search takes %, _ and \\ literally, and at most 100 characters", async () => {
      expect((await pages({ search: "100%" })).map((task) => task.title)).toEqual(["100% done_ish"]);
      expect(await pages({ search: "Pay_rent" })).toEqual([]);
      expect(await pages({ search: "%" })).toHaveLength(1);
      expect(await codeOf(caller.task.list({ search: "x".repeat(101) }))).toBe("BAD_REQUEST");
    });

    it("a cursor of one order is refused by another", async () => {
      const { nextCursor } = await caller.task.list({ limit: 2, sort: "due" });
      expect(await codeOf(caller.task.list({ sort: "priority", cursor: nextCursor ?? undefined }))).toBe("BAD_REQUEST");
      expect(await codeOf(caller.task.list({ cursor: nextCursor ?? undefined }))).toBe("BAD_REQUEST");
    });
  });

  it("refuses a limit over 100 and a forged cursor", async () => {
    expect(await codeOf(ownerCaller.task.list({ limit: 101 }))).toBe("BAD_REQUEST");
    expect(await codeOf(ownerCaller.task.list({ cursor: "garbage" }))).toBe("BAD_REQUEST");
    // Well-formed cursors whose position the tasks table cannot hold: not a UUID, year 0.
    const forged = (position: unknown[]) => Buffer.from(JSON.stringify(position)).toString("base64url");
    for (const cursor of [
      encodeCursor({ createdAt: new Date(), id: "not-a-uuid" }),
      forged(["0000-01-01T00:00:00Z", "0190a8f0-0000-7000-8000-000000000000"]),
    ]) {
      expect(await codeOf(ownerCaller.task.list({ cursor }))).toBe("BAD_REQUEST");
    }
  });

  it("is UNAUTHORIZED for an anonymous caller", async () => {
    expect(await codeOf(anonymous.task.list())).toBe("UNAUTHORIZED");
  });
});

describe("task.stats", () => {
  it("counts total, completed and overdue tasks of the caller only", async () => {
    const caller = await createTestCaller(await createUser());
    const yesterday = new Date(Date.now() - 86_400_000);
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000);
    await caller.task.create({ title: "overdue", dueAt: yesterday });
    await caller.task.create({ title: "later", dueAt: inTwoDays });
    const done = await caller.task.create({ title: "done late", dueAt: yesterday });
    await caller.task.update({ id: done.id, version: 1, completed: true });
    expect(await caller.task.stats()).toEqual({ total: 3, completed: 1, overdue: 1, dueToday: 0 });
    expect(await codeOf(anonymous.task.stats())).toBe("UNAUTHORIZED");
  });
});
