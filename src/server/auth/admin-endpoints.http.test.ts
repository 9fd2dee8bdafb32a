// Better Auth's admin endpoints are off: administration has one door, the user router, with its rules and audit log.
import { describe, expect, it } from "vitest";
import { adminPluginPaths } from "@/server/auth/admin-plugin";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/fixtures";
import { authRequest } from "@/test/http";

describe("the admin plugin's own endpoints", () => {
  it("cover every admin action Better Auth serves", () => {
    expect(adminPluginPaths).toEqual(
      expect.arrayContaining([
        "/admin/set-role",
        "/admin/ban-user",
        "/admin/impersonate-user",
        "/admin/set-user-password",
      ]),
    );
  });

  it("answer 404 to an admin, whatever the method, and change nothing", async () => {
    const admin = await createUser({ role: "admin" });
    const target = await createUser();
    const { headers } = await signIn(admin);
    const cookie = headers.get("cookie") ?? "";
    const before = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    const body = { userId: target.id, role: "admin", newPassword: "another-strong-passphrase-42", banReason: "x" };
    for (const path of adminPluginPaths) {
      for (const method of ["GET", "POST"] as const) {
        const response = await authRequest(path, {
          method,
          body: method === "POST" ? body : undefined,
          headers: { cookie },
        });
        expect({ path, method, status: response.status }).toEqual({ path, method, status: 404 });
      }
    }
    expect(await db.user.findUniqueOrThrow({ where: { id: target.id } })).toEqual(before);
    expect(await db.session.count({ where: { impersonatedBy: { not: null } } })).toBe(0);
  });
});
