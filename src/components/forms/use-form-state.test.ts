// Forms correct as the user types after the first refused submit: what is fixed is cleared, what breaks is shown.
import { describe, expect, it } from "vitest";
import { recheckedErrors } from "@/components/forms/use-form-state";

describe("recheckedErrors", () => {
  it("a fixed field loses its error; the others keep theirs", () => {
    const shown = { name: "Name is required", email: "Email is required" };
    expect(recheckedErrors(shown, "name", { email: "Email is required" }, shown)).toEqual({
      email: "Email is required",
    });
  });

  it("the changed field shows its new problem", () => {
    const shown = { password: "Use at least 8 characters" };
    const verdict = { password: "This is a top-10 common password" };
    expect(recheckedErrors(shown, "password", verdict, shown)).toEqual(verdict);
  });

  it("a field that depends on the changed one is checked again (the repeated password)", () => {
    const shown = { confirmPassword: "The passwords do not match" };
    expect(recheckedErrors(shown, "newPassword", {}, shown)).toEqual({});
  });

  it("an untouched field without an error gets none while another is typed in", () => {
    expect(recheckedErrors({}, "name", { email: "Email is required" }, { email: "Email is required" })).toEqual({});
  });

  it("the server's error stays until its own field changes", () => {
    const shown = { currentPassword: "This is not your current password." };
    expect(recheckedErrors(shown, "newPassword", {}, {})).toEqual(shown);
    expect(recheckedErrors(shown, "currentPassword", {}, {})).toEqual({});
  });
});
