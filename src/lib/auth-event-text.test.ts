// Activity in words: what happened, by whom, and only the details that are there.
import { describe, expect, it } from "vitest";
import { describeAuthEvent } from "@/lib/auth-event-text";

const ADMIN = "admin-1";

describe("describeAuthEvent", () => {
  it("a failed sign-in says why in words, not in Better Auth's code", () => {
    expect(describeAuthEvent({ type: "sign-in-failed", detail: { reason: "INVALID_EMAIL_OR_PASSWORD" } })).toEqual({
      summary: "Sign-in failed",
      details: ["wrong email or password"],
    });
  });

  it("a ban by the reader is “by you”; absent reason and end are left out", () => {
    expect(describeAuthEvent({ type: "banned", detail: { by: ADMIN, reason: null, expiresAt: null } }, ADMIN)).toEqual({
      summary: "Banned by you",
      details: [],
    });
  });

  it("a ban by someone else is by an administrator, with its reason and end", () => {
    const event = { type: "banned", detail: { by: ADMIN, reason: "Spam", expiresAt: "2030-01-15T23:59:59.000Z" } };
    const { summary, details } = describeAuthEvent(event, "someone-else");
    expect(summary).toBe("Banned by an administrator");
    expect(details[0]).toBe("“Spam”");
    expect(details[1]).toMatch(/^until Jan 1[56], 2030$/);
  });

  it("a ban by someone else is by their name where the list has it (the admin view)", () => {
    const event = { type: "banned", detail: { by: ADMIN }, actorName: "Morgan Admin" };
    expect(describeAuthEvent(event, "someone-else").summary).toBe("Banned by Morgan Admin");
    expect(describeAuthEvent({ ...event, actorName: null }, "someone-else").summary).toBe("Banned by an administrator");
  });

  it("a sign-in says how it was made, in words; an unknown method is left out", () => {
    expect(describeAuthEvent({ type: "sign-in", detail: { method: "magic-link" } }).details).toEqual([
      "with a link by email",
    ]);
    expect(describeAuthEvent({ type: "sign-in", detail: { secondFactor: "backup-code" } }).details).toEqual([
      "with a backup code",
    ]);
    expect(describeAuthEvent({ type: "sign-in", detail: { method: "something-new" } }).details).toEqual([]);
  });

  it("a role change names the new role", () => {
    expect(describeAuthEvent({ type: "role-changed", detail: { role: "admin", by: ADMIN } }, ADMIN).summary).toBe(
      "Made an administrator by you",
    );
  });

  it("no raw ids, nulls or JSON ever show", () => {
    const { summary, details } = describeAuthEvent({ type: "unbanned", detail: { by: "UlBUNUqz12345" } });
    expect([summary, ...details].join(" ")).not.toMatch(/UlBUNUqz|null|\{/);
  });

  it("a type not known here still reads as words", () => {
    expect(describeAuthEvent({ type: "passkey-added", detail: {} }).summary).toBe("Passkey added");
  });
});
