// Walks every procedure of appRouter, so a new procedure cannot ship unprotected by mistake.
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { codeOf, createTestCaller, createUser, procedureAt } from "@/test/helpers";
import { ADMIN_PROCEDURES, PUBLIC_PROCEDURES } from "@/test/procedure-inputs";


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
