// The change-password form's rules, as the form runs them before anything is sent.
import { describe, expect, it } from "vitest";
import { checkPasswordStrength } from "@/lib/password-strength";
import { changePasswordInput, SAME_PASSWORD_MESSAGE } from "@/lib/validation/new-password";

describe("changePasswordInput", () => {
  const input = changePasswordInput(checkPasswordStrength, ["Ada Lovelace", "ada@example.com"]);

  it("refuses the current password as the new one, on the new password's field", () => {
    const password = "velvet-Lantern-orbit-204";
    const result = input.safeParse({ currentPassword: password, newPassword: password, confirmPassword: password });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({ path: ["newPassword"], message: SAME_PASSWORD_MESSAGE }),
    );
  });

  it("takes a different, strong new password", () => {
    const newPassword = "velvet-Lantern-orbit-204";
    expect(
      input.safeParse({ currentPassword: "old-Harbor-kettle-31", newPassword, confirmPassword: newPassword }).success,
    ).toBe(true);
  });
});
