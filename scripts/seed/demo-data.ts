// What `npm run db:seed` writes: an admin, a demo user and a few tasks each. Running it again keeps the confirmed
// accounts (their passwords and tasks) and gives the admin account back the admin role if it lost it, so there is an
// admin. An account whose address was never confirmed may have been made by anyone: it keeps none of its passwords
// or sessions, and gets the seed's password instead.
import { randomBytes } from "node:crypto";
import { checkPasswordStrength } from "@/lib/password-strength";
import { createConfirmedAccount, reclaimUnconfirmedAccount } from "@/server/auth/accounts";
import { db } from "@/server/db";

export type SeedOptions = {
  adminEmail: string;
  adminPassword?: string;
  demoPassword?: string;
  /** In production every account the seed creates needs its password given; elsewhere one is generated. */
  production: boolean;
};

export type SeededAccount = {
  email: string;
  role: "admin" | "user";
  outcome: "created" | "kept" | "made admin" | "reclaimed";
  /** Set when the seed chose the password (outside production, none given). */
  generatedPassword?: string;
};

export const DEMO_EMAIL = "demo@example.com";

const demoTasks = () =>
  [
    { title: "Read the README", priority: "high", completed: true },
    { title: "Verify your email address", priority: "medium", completed: true },
    { title: "Review active sessions in Settings", priority: "medium", dueAt: new Date(Date.now() + 2 * 86_400_000) },
    { title: "Rotate the production secret", priority: "high", dueAt: new Date(Date.now() - 86_400_000) },
    { title: "Invite a teammate", priority: "low" },
  ] as const;

export async function seedDemoData(options: SeedOptions): Promise<SeededAccount[]> {
  const accounts = [
    {
      email: options.adminEmail.toLowerCase(),
      name: "Ada Admin",
      role: "admin",
      password: options.adminPassword,
      variable: "SEED_ADMIN_PASSWORD",
    },
    {
      email: DEMO_EMAIL,
      name: "Dana Demo",
      role: "user",
      password: options.demoPassword,
      variable: "SEED_DEMO_PASSWORD",
    },
  ] as const;
  const existing = await Promise.all(
    accounts.map(({ email }) =>
      db.user.findUnique({ where: { email }, select: { id: true, role: true, emailVerified: true } }),
    ),
  );
  // Everything is checked before anything is written: the rule sign-up applies (length, zxcvbn with the name and
  // email as context), and in production a password for each account still to create or to reclaim.
  accounts.forEach(({ email, name, password, variable }, i) => {
    if (password === undefined) {
      if (options.production && !existing[i]?.emailVerified) {
        throw new Error(
          `Set ${variable} for ${email}: in production the seed creates no account without it (see README).`,
        );
      }
      return;
    }
    const strength = checkPasswordStrength(password, [name, email]);
    if (!strength.acceptable) throw new Error(`${variable} is refused: ${strength.warning}`);
  });

  const seeded: SeededAccount[] = [];
  for (const [i, account] of accounts.entries()) {
    const found = existing[i];
    if (found?.emailVerified) {
      const promote = account.role === "admin" && found.role !== "admin";
      if (promote) await db.user.update({ where: { id: found.id }, data: { role: "admin" } });
      seeded.push({ email: account.email, role: account.role, outcome: promote ? "made admin" : "kept" });
      continue;
    }
    const password = account.password ?? `demo-${randomBytes(12).toString("base64url")}`;
    const user = found
      ? await reclaimUnconfirmedAccount(found.id, password, account.role)
      : await createConfirmedAccount({ email: account.email, name: account.name, password, role: account.role });
    if (!found) await db.task.createMany({ data: demoTasks().map((task) => ({ ...task, userId: user.id })) });
    const generatedPassword = account.password ? undefined : password;
    seeded.push({
      email: account.email,
      role: account.role,
      outcome: found ? "reclaimed" : "created",
      generatedPassword,
    });
  }
  return seeded;
}
