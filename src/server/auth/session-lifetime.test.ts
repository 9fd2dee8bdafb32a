// Idle expiry slides; the absolute lifetime does not, however active the session is. The tests move the clock.
import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "@/env";
import { createUser, signIn } from "@/test/fixtures";
import { authRequest } from "@/test/http";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function sessionOf(cookie: string) {
  const response = await authRequest("/get-session", { headers: { cookie } });
  return (await response.json()) as { session: { expiresAt: string; createdAt: string } } | null;
}

/** Moves the clock (Date only: timers and I/O run as usual). */
function advance(ms: number) {
  vi.setSystemTime(Date.now() + ms);
}

afterEach(() => {
  vi.useRealTimers();
});

async function newSession() {
  const { headers } = await signIn(await createUser());
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  return headers.get("cookie") ?? "";
}

describe("session lifetime", () => {
  it("slides the idle expiry once the update age has passed", async () => {
    const cookie = await newSession();
    advance(env.SESSION_UPDATE_AGE * 1000 + HOUR);
    const session = await sessionOf(cookie);
    expect(new Date(session?.session.expiresAt ?? 0).getTime()).toBeGreaterThan(
      Date.now() + env.SESSION_IDLE_TIMEOUT * 1000 - HOUR,
    );
  });

  it("an idle session past its expiry is refused", async () => {
    const cookie = await newSession();
    advance(env.SESSION_IDLE_TIMEOUT * 1000 + HOUR);
    expect(await sessionOf(cookie)).toBeNull();
  });

  it("an active session never outlives the absolute lifetime", async () => {
    const cookie = await newSession();
    const absolute = env.SESSION_ABSOLUTE_LIFETIME * 1000;
    const started = Date.now();
    // Used every two days: the idle expiry alone would keep it alive forever.
    while (Date.now() + 2 * DAY < started + absolute) {
      advance(2 * DAY);
      const session = await sessionOf(cookie);
      expect(session).not.toBeNull();
      expect(new Date(session?.session.expiresAt ?? 0).getTime()).toBeLessThanOrEqual(started + absolute + 1000);
    }
    vi.setSystemTime(started + absolute + 60_000);
    expect(await sessionOf(cookie)).toBeNull();
  });
});
