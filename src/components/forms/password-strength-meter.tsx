"use client";
// The live strength meter: the very rule the server applies at sign-up, reset and change, downloaded when the
// first character is typed (or the field is focused) rather than with the page.
import { useEffect, useState } from "react";
import { PASSWORD_MIN_LENGTH } from "@/lib/password-limits";
import { loadedPasswordChecker, loadPasswordChecker, type PasswordChecker } from "@/lib/password-strength-loader";

const LABELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"] as const;
const COLOURS = ["bg-red-600", "bg-red-600", "bg-amber-500", "bg-emerald-600", "bg-emerald-600"] as const;

/** The checker once downloaded; asks for it as soon as there is a password to check. */
function usePasswordChecker(needed: boolean, retryKey: string): PasswordChecker | null {
  const [checker, setChecker] = useState<PasswordChecker | null>(loadedPasswordChecker);
  useEffect(() => {
    if (!needed || checker) return;
    let current = true;
    // A failed download is tried again at the next keystroke (retryKey changes).
    loadPasswordChecker().then(
      (loaded) => current && setChecker(() => loaded),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [needed, checker, retryKey]);
  return checker;
}

export function PasswordStrengthMeter({ password, context }: { password: string; context: string[] }) {
  const checker = usePasswordChecker(password !== "", password);
  if (!password) {
    return <p>At least {PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong, memorable password.</p>;
  }
  const strength = checker?.(password, context);
  const score = strength?.score ?? 0;
  // One live region from the first keystroke on, so the first verdict is announced like every later one.
  return (
    <div>
      <div className="flex gap-1" aria-hidden="true">
        {[1, 2, 3, 4].map((step) => (
          <span
            key={step}
            className={`h-1.5 flex-1 rounded-full ${strength && score >= step ? COLOURS[score] : "bg-slate-200 dark:bg-slate-700"}`}
          />
        ))}
      </div>
      <p aria-live="polite" className="mt-1">
        {strength ? (
          <>
            Strength: <strong>{LABELS[strength.score]}</strong>
            {strength.acceptable ? "." : `. ${strength.warning ?? ""}`}
            {!strength.acceptable && strength.suggestions[0] ? ` ${strength.suggestions[0]}` : ""}
          </>
        ) : (
          "Checking strength…"
        )}
      </p>
    </div>
  );
}
