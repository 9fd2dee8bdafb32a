"use client";
// The live strength meter: the very rule the server applies at sign-up, reset and change.
import { checkPasswordStrength, PASSWORD_MIN_LENGTH } from "@/lib/password-strength";

const LABELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"] as const;
const COLOURS = ["bg-red-600", "bg-red-600", "bg-amber-500", "bg-emerald-600", "bg-emerald-600"] as const;

export function PasswordStrengthMeter({ password, context }: { password: string; context: string[] }) {
  if (!password) {
    return <p>At least {PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong, memorable password.</p>;
  }
  const strength = checkPasswordStrength(password, context);
  return (
    <div>
      <div className="flex gap-1" aria-hidden="true">
        {[1, 2, 3, 4].map((step) => (
          <span
            key={step}
            className={`h-1.5 flex-1 rounded-full ${strength.score >= step ? COLOURS[strength.score] : "bg-slate-200 dark:bg-slate-700"}`}
          />
        ))}
      </div>
      <p aria-live="polite" className="mt-1">
        Strength: <strong>{LABELS[strength.score]}</strong>
        {strength.acceptable ? "." : `. ${strength.warning ?? ""}`}
        {!strength.acceptable && strength.suggestions[0] ? ` ${strength.suggestions[0]}` : ""}
      </p>
    </div>
  );
}
