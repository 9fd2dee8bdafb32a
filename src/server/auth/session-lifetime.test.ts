// Idle expiry slides; the absolute lifetime does not, however active the session is.
import { describe, expect, it } from "vitest";
import { env } from "@/env";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/helpers";
import { authRequest } from "@/test/http";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function sessionOf(cookie: string) {
  return (await authRequest("/get-session", { headers: { cookie } })).json() as Promise<{ session: { expiresAt: string } } | null>;
}

describe("session lifetime", () => {
  it("slides the idle expiry once the update age has passed", async () => {
    const user = await createUser();
    const { headers, token } = await signIn(user);
    await db.session.update({ where: { token }, data: { expiresAt: new Date(Date.now() + 2 * DAY) } });
    const session = await sessionOf(headers.get("cookie") ?? "");
    const expiresAt = new Date(session?.session.expiresAt ?? 0).getTime();
    expect(expiresAt).toBeGreaterThan(Date.now() + env.SESSION_IDLE_TIMEOUT * 1000 - HOUR);
  });

  it("an idle session past its expiry is refused", async () => {
    const user = await createUser();
    const { headers, token } = await signIn(user);
    await db.session.update({ where: { token }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sessionOf(headers.get("cookie") ?? "")).toBeNull();
  });

  it("never slides past the absolute lifetime, then ends", async () => {
    const user = await createUser();
    const { headers, token } = await signIn(user);
    const cookie = headers.get("cookie") ?? "";
    const absolute = env.SESSION_ABSOLUTE_LIFETIME * 1000;
    const createdAt = new Date(Date.now() - absolute + HOUR); // one hour of its lifetime left
    await db.session.update({ where: { token }, data: { createdAt, expiresAt: new Date(Date.now() + HOUR / 2) } });

    const refreshed = await sessionOf(cookie);
    expect(new Date(refreshed?.session.expiresAt ?? 0).getTime()).toBe(createdAt.getTime() + absolute);

    // Two hours later (moved back in the row): past the absolute lifetime, however active.
    const row = await db.session.findUniqueOrThrow({ where: { token } });
    await db.session.update({
      where: { token },
      data: { createdAt: new Date(row.createdAt.getTime() - 2 * HOUR), expiresAt: new Date(row.expiresAt.getTime() - 2 * HOUR) },
    });
    expect(await sessionOf(cookie)).toBeNull();
  });
});
