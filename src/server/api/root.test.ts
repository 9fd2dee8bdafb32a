// Walks every procedure of appRouter, so a new procedure cannot ship unprotected by mistake.
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import { ADMIN_PROCEDURES, ORG_PROCEDURES, PUBLIC_PROCEDURES } from "@/test/access-policy";
import {
  codeOf,
  createOrganization,
  createTestCaller,
  createTestContext,
  createUser,
  procedureAt,
} from "@/test/fixtures";

const allProcedures = Object.keys(appRouter._def.procedures).sort();

describe("appRouter protection", () => {
  it("knows every procedure", () => {
    expect(allProcedures.length).toBeGreaterThanOrEqual(13);
    for (const path of [...PUBLIC_PROCEDURES, ...ADMIN_PROCEDURES]) expect(allProcedures).toContain(path);
  });

  it.each(allProcedures.filter((path) => !PUBLIC_PROCEDURES.includes(path)))(
    "%s is UNAUTHORIZED for an anonymous caller",
    async (path) => {
      const anonymous = await createTestCaller(null);
      expect(await codeOf(procedureAt(anonymous, path)({}))).toBe("UNAUTHORIZED");
    },
  );

  it.each(ADMIN_PROCEDURES)("%s is FORBIDDEN for a signed-in non-admin", async (path) => {
    const caller = await createTestCaller(await createUser());
    expect(await codeOf(procedureAt(caller, path)({ userId: "x" }))).toBe("FORBIDDEN");
  });
});

describe("appRouter organization spaces", () => {
  const orgProcedures = Object.keys(ORG_PROCEDURES);
  let caller: Awaited<ReturnType<typeof createTestCaller>>;
  let organizationId: string;
  beforeAll(async () => {
    const user = await createUser();
    // A member whose role grants nothing: every organization procedure must refuse them, so one that forgets to
    // require a permission (or ignores the organization it was asked for) fails here.
    organizationId = (await createOrganization([[user, "nobody"]])).id;
    caller = await createTestCaller(user);
  });

  it("lists only procedures that exist", () => {
    for (const path of orgProcedures) expect(allProcedures).toContain(path);
  });

  it.each(orgProcedures)("%s refuses a member whose role grants nothing with FORBIDDEN", async (path) => {
    const input = { organizationId, id: "0190f0c2-5d1e-7000-8000-000000000000", version: 1, title: "x" };
    const accepted = path === "task.list" || path === "task.stats" ? { organizationId } : input;
    const fields = path === "task.create" ? { organizationId, title: "x" } : accepted;
    expect(await codeOf(procedureAt(caller, path)(fields))).toBe("FORBIDDEN");
  });

  it.each(allProcedures.filter((path) => !orgProcedures.includes(path)))(
    "%s, not an organization procedure, refuses an organizationId",
    async (path) => {
      const admin = await createTestCaller(await createUser({ role: "admin" }));
      expect(await codeOf(procedureAt(admin, path)({ organizationId }))).toBe("BAD_REQUEST");
    },
  );
});

describe("appRouter inputs", () => {
  let admin: Awaited<ReturnType<typeof createTestCaller>>;
  beforeAll(async () => {
    admin = await createTestCaller(await createUser({ role: "admin" }));
  });

  // Procedures that take no input included: an unexpected key is a mistake to report, not to ignore.
  it.each(allProcedures)("%s refuses an unknown key with BAD_REQUEST", async (path) => {
    expect(await codeOf(procedureAt(admin, path)({ unexpected: true }))).toBe("BAD_REQUEST");
  });
});

describe("createCaller", () => {
  it("runs procedures in-process on a context built for a user in one line", async () => {
    const user = await createUser();
    const ctx = await createTestContext(user);
    expect(ctx).toMatchObject({ authMethod: "cookie", session: { user: { id: user.id } } });
    expect(await createCaller(ctx).user.me()).toMatchObject({ id: user.id, email: user.email });
    const anonymous = await createTestContext(null);
    expect(anonymous).toMatchObject({ authMethod: null, session: null });
    expect(await codeOf(createCaller(anonymous).user.me())).toBe("UNAUTHORIZED");
  });
});
