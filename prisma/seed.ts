// Demo data: an admin, a demo user and a few tasks each. Safe to run twice (existing accounts are kept).
import { randomBytes } from "node:crypto";
import { auth } from "@/server/auth";
import { hashPassword } from "@/server/auth/password-hashing";
import { db } from "@/server/db";

const isProduction = process.env.NODE_ENV === "production";
const accounts = [
  {
    email: process.env.SEED_ADMIN_EMAIL ?? "admin@example.com",
    name: "Ada Admin",
    role: "admin",
    password: process.env.SEED_ADMIN_PASSWORD,
  },
  { email: "demo@example.com", name: "Dana Demo", role: "user", password: process.env.SEED_DEMO_PASSWORD },
] as const;

const demoTasks = [
  { title: "Read the README", priority: "high", completed: true },
  { title: "Verify your email address", priority: "medium", completed: true },
  { title: "Review active sessions in Settings", priority: "medium", dueAt: new Date(Date.now() + 2 * 86_400_000) },
  { title: "Rotate the production secret", priority: "high", dueAt: new Date(Date.now() - 86_400_000) },
  { title: "Invite a teammate", priority: "low" },
] as const;

async function main() {
  const ctx = await auth.$context;
  for (const account of accounts) {
    if (await db.user.findUnique({ where: { email: account.email } })) {
      console.info(`seed: ${account.email} exists, kept as it is`);
      continue;
    }
    if (isProduction && !account.password) throw new Error(`Set a password for ${account.email} (see README).`);
    const password = account.password ?? `demo-${randomBytes(9).toString("base64url")}`;
    const user = await ctx.internalAdapter.createUser(
      { email: account.email, name: account.name, emailVerified: true },
      { method: "admin" },
    );
    await ctx.internalAdapter.linkAccount({
      userId: user.id,
      providerId: "credential",
      accountId: user.id,
      password: await hashPassword(password),
    });
    await db.user.update({ where: { id: user.id }, data: { role: account.role } });
    await db.task.createMany({ data: demoTasks.map((task) => ({ ...task, userId: user.id })) });
    console.info(`seed: ${account.role} ${account.email} created${account.password ? "" : ` with password ${password}`}`);
  }
}

main()
  .then(() => db.$disconnect())
  .catch(async (error: unknown) => {
    console.error("seed failed:", error instanceof Error ? error.message : error);
    await db.$disconnect();
    process.exit(1);
  });
