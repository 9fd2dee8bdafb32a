// The worker's queue is bounded: a check beyond it is refused at once (the server answers 503 with Retry-After),
// never left to wait in a growing backlog; lengths are judged without the worker.
import { describe, expect, it } from "vitest";
import { checkPasswordStrength } from "@/lib/password-strength";
import { StrengthCheckBusy, createStrengthChecker } from "@/server/auth/password-strength-thread";

describe("the password strength worker", () => {
  it("gives the rule's own verdict", async () => {
    const check = createStrengthChecker();
    for (const password of ["password123", "plaid-otter-quarry-91", "alice-smith-2024"]) {
      expect(await check(password, ["Alice Smith", "alice@example.com"])).toEqual(
        checkPasswordStrength(password, ["Alice Smith", "alice@example.com"]),
      );
    }
  });

  it("refuses a check at once when the queue is full, and serves the next one once it has room", async () => {
    const check = createStrengthChecker({ queueLimit: 1 });
    const checks = ["first-password-1", "second-password-2", "third-password-3"].map((password) => check(password, []));
    const outcomes = await Promise.allSettled(checks);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect(outcomes[2]).toMatchObject({ reason: expect.any(StrengthCheckBusy) });
    expect((await check("fourth-password-4", [])).score).toBeGreaterThanOrEqual(0);
  });

  it("judges a password's length without the worker", async () => {
    const check = createStrengthChecker({ queueLimit: -1 }); // any check that reached the queue would be refused
    expect(await check("short", [])).toMatchObject({ acceptable: false, warning: "Use at least 8 characters." });
    expect(await check("x".repeat(129), [])).toMatchObject({
      acceptable: false,
      warning: "Use at most 128 characters.",
    });
  });
});
