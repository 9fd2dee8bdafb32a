"use client";
// Confirms an address from the mailed link: with the password chosen at sign-up, or with a new one that replaces
// whatever password the account was created with (someone else may have started the sign-up).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { NewPasswordFields } from "@/components/forms/new-password-fields";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { validate } from "@/components/forms/form-validation";
import { PasswordField } from "@/components/ui/password-field";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { loadedPasswordChecker, loadPasswordChecker, type PasswordChecker } from "@/lib/password-strength-loader";
import { resetPasswordInput } from "@/lib/validation/new-password";

type Mode = "password" | "newPassword";

const LINK_ERRORS = new Map([
  ["TOKEN_EXPIRED", "This confirmation link has expired. Sign in to get a new one."],
  ["INVALID_TOKEN", "This confirmation link is not valid. Sign in to get a new one."],
  ["ALREADY_CONFIRMED", "This email address is already confirmed. Sign in instead."],
]);

const CHOSEN_PASSWORD_MISSING = "Enter the password you chose when you signed up.";

function checkNewPassword(checker: PasswordChecker, target: HTMLFormElement) {
  const data = new FormData(target);
  return validate(resetPasswordInput(checker), {
    password: data.get("password"),
    confirmPassword: data.get("confirmPassword"),
  });
}

export function ConfirmEmailForm({ token }: { token: string }) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("password");
  const [linkError, setLinkError] = useState<string | null>(null);
  const form = useFormState((target) => {
    if (mode === "password") return new FormData(target).get("password") ? null : { password: CHOSEN_PASSWORD_MISSING };
    const checker = loadedPasswordChecker();
    return checker ? checkNewPassword(checker, target).errors : null;
  });

  if (linkError) {
    return (
      <div className="space-y-4">
        <FormMessageNotice message={{ tone: "error", text: linkError }} />
        <Link href="/sign-in">Sign in</Link>
      </div>
    );
  }

  function switchTo(next: Mode) {
    form.setErrors({});
    form.setMessage(null);
    setMode(next);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const data = new FormData(target);
    void form.run(async () => {
      let body: { token: string; password?: string; newPassword?: string };
      if (mode === "password") {
        const password = String(data.get("password") ?? "");
        if (!password) return form.showErrors(target, { password: CHOSEN_PASSWORD_MISSING });
        body = { token, password };
      } else {
        const checked = checkNewPassword(await loadPasswordChecker(), target);
        if (!checked.data) return form.showErrors(target, checked.errors);
        body = { token, newPassword: checked.data.password };
      }
      form.setErrors({});
      const { error } = await authClient.confirmEmail(body);
      if (!error) {
        router.push("/verify-email?verified=1");
        router.refresh();
        return;
      }
      const linkProblem = error.code ? LINK_ERRORS.get(error.code) : undefined;
      if (linkProblem) return setLinkError(linkProblem);
      if (error.code === "INVALID_PASSWORD" || error.code === "PASSWORD_TOO_WEAK") {
        return form.showErrors(target, { password: error.message });
      }
      form.setMessage({ tone: "error", text: authErrorMessage(error) });
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} onChange={form.onChange} className="space-y-4" aria-label="Confirm your email">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {mode === "password"
          ? "Enter the password you chose when you signed up. Confirming signs you in."
          : "Choose a new password. It replaces any password this account was made with, and signs out every device."}
      </p>
      <FormMessageNotice message={form.message} />
      {mode === "password" ? (
        <PasswordField
          key="password"
          label="The password you chose"
          name="password"
          autoComplete="current-password"
          error={form.errors.password}
        />
      ) : (
        <NewPasswordFields key="newPassword" name="password" errors={form.errors} context={[]} />
      )}
      <Button type="submit" className="w-full" pending={form.pending}>
        {form.pending ? "Confirming…" : mode === "password" ? "Confirm my email" : "Set the password and confirm"}
      </Button>
      {mode === "password" ? (
        <p className="text-sm">
          Did not sign up, or do not know this password?{" "}
          <button
            type="button"
            className="font-medium underline"
            disabled={form.pending}
            onClick={() => switchTo("newPassword")}
          >
            Choose a new password
          </button>{" "}
          instead: it replaces any password the account was created with.
        </p>
      ) : (
        <p className="text-sm">
          <button
            type="button"
            className="font-medium underline"
            disabled={form.pending}
            onClick={() => switchTo("password")}
          >
            Confirm with the password I chose
          </button>
        </p>
      )}
    </form>
  );
}
