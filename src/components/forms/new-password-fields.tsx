"use client";
// A new password twice, with the live strength meter: shared by the reset and change-password forms.
import { useState } from "react";
import { PasswordStrengthMeter } from "@/components/forms/password-strength-meter";
import type { FieldErrors } from "@/components/forms/form-validation";
import { PasswordField } from "@/components/ui/password-field";
import { preloadPasswordChecker } from "@/lib/password-strength-loader";

export function NewPasswordFields({ name, errors, context }: { name: string; errors: FieldErrors; context: string[] }) {
  const [password, setPassword] = useState("");
  return (
    <>
      <PasswordField
        label="New password"
        name={name}
        autoComplete="new-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        onFocus={preloadPasswordChecker}
        error={errors[name]}
        hint={<PasswordStrengthMeter password={password} context={context} />}
      />
      <PasswordField
        label="Repeat the new password"
        name="confirmPassword"
        autoComplete="new-password"
        error={errors.confirmPassword}
      />
    </>
  );
}
