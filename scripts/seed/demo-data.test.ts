// `npm run db:seed` on a fresh database: an admin who can sign in, a demo user with tasks, and a second run that
// changes nothing harmful.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerWithHeaders, STRONG_PASSWORD } from "@/test/fixtures";
import { authRequest, nextClientIp } from "@/test/http";
import { DEMO_EMAIL, type SeedOptions, seedDemoData } from "./demo-data";

const ADMIN_EMAIL = "admin@example.com";
const ADMIN_PASSWORD = "copper-lantern-meadow-47";
const production: SeedOptions = {
  adminEmail: ADMIN_EMAIL,
  adminPassword: ADMIN_PASSWORD,
  demoPassword: STRONG_PASSWORD,
  production: true,
};

/** Signs in through Better Auth's real endpoint; the Cookie header of the new session, or null when refused. */
async function signInCookie(email: string, password: string): Promise<string | null> {
  const response = await authRequest("/sign-in/email", { body: { email, password }, ip: nextClientIp() });
  if (response.status !== 200) return null;
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

async function snapshot() {
  const users = await db.user.findMany({
    where: { email: { in: [ADMIN_EMAIL, DEMO_EMAIL] } },
    orderBy: { email: "asc" },
    include: {
      accounts: { select: { password: true } },
      tasks: { select: { id: true, title: true }, orderBy: { title: "asc" } },
    },
  });
  return users;
}

beforeEach(async () => {
  await db.user.deleteMany({ where: { email: { in: [ADMIN_EMAIL, DEMO_EMAIL] } } });
});

describe("db:seed on a fresh database", () => {
  it("creates an admin who can sign in and is an admin to the API", async () => {
    const seeded = await seedDemoData(production);
    expect(seeded).toEqual([
      { email: ADMIN_EMAIL, role: "admin", outcome: "created", generatedPassword: undefined },
      { email: DEMO_EMAIL, role: "user", outcome: "created", generatedPassword: undefined },
    ]);
    const cookie = await signInCookie(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(cookie).not.toBeNull();
    const caller = await callerWithHeaders(new Headers({ cookie: cookie! }));
    expect(await caller.user.me()).toMatchObject({ email: ADMIN_EMAIL, role: "admin", emailVerified: true });
    expect((await caller.user.list({ search: DEMO_EMAIL })).items).toHaveLength(1);
  });

  it("creates the demo user with tasks, who can sign in and sees them", async () => {
    await seedDemoData(production);
    const cookie = await signInCookie(DEMO_EMAIL, STRONG_PASSWORD);
    expect(cookie).not.toBeNull();
    const caller = await callerWithHeaders(new Headers({ cookie: cookie! }));
    expect(await caller.user.me()).toMatchObject({ email: DEMO_EMAIL, role: "user" });
    expect(await caller.task.stats()).toEqual({ total: 5, completed: 2, overdue: 1, dueToday: 0 });
  });

  it("outside production, without passwords, generates strong ones and prints them", async () => {
    const seeded = await seedDemoData({ adminEmail: ADMIN_EMAIL, production: false });
    for (const { email, generatedPassword } of seeded) {
      expect(generatedPassword).toMatch(/^demo-[\w-]{16}$/);
      expect(await signInCookie(email, generatedPassword!)).not.toBeNull();
    }
  });
});

describe("db:seed run again", () => {
  it("changes nothing: same accounts, passwords and tasks, and the admin still signs in", async () => {
    await seedDemoData(production);
    const before = await snapshot();
    // Second run with other passwords, as after SEED_* changed: existing accounts keep theirs.
    const again = await seedDemoData({
      ...production,
      adminPassword: "other-granite-harbour-58",
      demoPassword: undefined,
    });
    expect(again.map(({ outcome }) => outcome)).toEqual(["kept", "kept"]);
    expect(await snapshot()).toEqual(before);
    expect(await signInCookie(ADMIN_EMAIL, ADMIN_PASSWORD)).not.toBeNull();
  });

  it("makes the admin account an admin again when it has lost the role, keeping its password and tasks", async () => {
    await seedDemoData(production);
    await db.user.update({ where: { email: ADMIN_EMAIL }, data: { role: "user" } });
    const before = await snapshot();
    const again = await seedDemoData(production);
    expect(again[0]).toEqual({ email: ADMIN_EMAIL, role: "admin", outcome: "made admin" });
    const after = await snapshot();
    expect(after.find((user) => user.email === ADMIN_EMAIL)?.role).toBe("admin");
    expect(after.map(({ accounts, tasks }) => ({ accounts, tasks }))).toEqual(
      before.map(({ accounts, tasks }) => ({ accounts, tasks })),
    );
    const cookie = await signInCookie(ADMIN_EMAIL, ADMIN_PASSWORD);
    const caller = await callerWithHeaders(new Headers({ cookie: cookie! }));
    expect((await caller.user.list({})).items.length).toBeGreaterThan(0);
  });

  it("uses an admin email given in any case as the lower-case account", async () => {
    await seedDemoData({ ...production, adminEmail: "Admin@Example.COM" });
    expect(await db.user.count({ where: { email: ADMIN_EMAIL, role: "admin" } })).toBe(1);
  });
});

describe("db:seed when someone signed up first with a seeded address and never confirmed it", () => {
  const STRANGER_PASSWORD = "stranger-Quiet-harbor-58";
  const signUpFirst = (email: string) =>
    authRequest("/sign-up/email", {
      body: { email, name: "Stranger", password: STRANGER_PASSWORD },
      ip: nextClientIp(),
    });

  it("the admin account keeps none of the stranger's access: only the seed's password signs in", async () => {
    expect((await signUpFirst(ADMIN_EMAIL)).status).toBe(200);
    const seeded = await seedDemoData(production);
    expect(seeded[0]).toEqual({
      email: ADMIN_EMAIL,
      role: "admin",
      outcome: "reclaimed",
      generatedPassword: undefined,
    });
    expect(await signInCookie(ADMIN_EMAIL, STRANGER_PASSWORD)).toBeNull();
    const cookie = await signInCookie(ADMIN_EMAIL, ADMIN_PASSWORD);
    const caller = await callerWithHeaders(new Headers({ cookie: cookie! }));
    expect(await caller.user.me()).toMatchObject({ email: ADMIN_EMAIL, role: "admin", emailVerified: true });
  });

  it("the demo account too; outside production its new password is generated", async () => {
    await signUpFirst(DEMO_EMAIL);
    const seeded = await seedDemoData({ adminEmail: ADMIN_EMAIL, production: false });
    expect(seeded[1]).toMatchObject({ email: DEMO_EMAIL, outcome: "reclaimed" });
    expect(await signInCookie(DEMO_EMAIL, STRANGER_PASSWORD)).toBeNull();
    expect(await signInCookie(DEMO_EMAIL, seeded[1]?.generatedPassword ?? "")).not.toBeNull();
  });

  it("production needs the seed's password to reclaim it, and writes nothing without", async () => {
    await signUpFirst(ADMIN_EMAIL);
    const before = await snapshot();
    await expect(seedDemoData({ ...production, adminPassword: undefined })).rejects.toThrow(/^Set SEED_ADMIN_PASSWORD/);
    expect(await snapshot()).toEqual(before);
  });
});

describe("db:seed passwords follow the sign-up rule", () => {
  it.each([
    ["too short", { adminPassword: "Xq7!vR" }, /^SEED_ADMIN_PASSWORD is refused: Use at least 8 characters\.$/],
    ["too long", { adminPassword: "q".repeat(129) }, /^SEED_ADMIN_PASSWORD is refused: Use at most 128 characters\.$/],
    ["easy to guess", { demoPassword: "password123" }, /^SEED_DEMO_PASSWORD is refused: /],
    ["built from the account's name", { adminPassword: "AdaAdmin2024" }, /^SEED_ADMIN_PASSWORD is refused: /],
  ])("%s is refused before anything is written", async (_, passwords, message) => {
    await expect(seedDemoData({ ...production, ...passwords })).rejects.toThrow(message);
    expect(await snapshot()).toEqual([]);
  });

  it("production without a password for an account to create is refused before anything is written", async () => {
    await expect(seedDemoData({ ...production, demoPassword: undefined })).rejects.toThrow(
      /^Set SEED_DEMO_PASSWORD for demo@example\.com: /,
    );
    expect(await snapshot()).toEqual([]);
  });
});
