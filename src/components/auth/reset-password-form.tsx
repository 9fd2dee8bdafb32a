"use client";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { NewPasswordFields } from "@/components/forms/new-password-fields";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { validate } from "@/components/forms/form-validation";
import { Notice } from "@/components/ui/notice";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { loadedPasswordChecker, loadPasswordChecker, type PasswordChecker } from "@/lib/password-strength-loader";
import { resetPasswordInput } from "@/lib/validation/new-password";

function checkNewPassword(checker: PasswordChecker, target: HTMLFormElement) {
  const data = new FormData(target);
  return validate(resetPasswordInput(checker), {
    password: data.get("password"),
    confirmPassword: data.get("confirmPassword"),
  });
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [done, setDone] = useState(false);
  const form = useFormState((target) => {
    const checker = loadedPasswordChecker();
    return checker ? checkNewPassword(checker, target).errors : null;
  });

  if (done) {
    return (
      <Notice tone="success">
        Your password is changed and every other session is signed out. <Link href="/sign-in">Sign in</Link> with the
        new one.
      </Notice>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    void form.run(async () => {
      const checked = checkNewPassword(await loadPasswordChecker(), target);
      if (!checked.data) return form.showErrors(target, checked.errors);
      form.setErrors({});
      const { error } = await authClient.resetPassword({ newPassword: checked.data.password, token });
      if (!error) return setDone(true);
      if (error.code === "PASSWORD_TOO_WEAK") return form.showErrors(target, { password: error.message });
      form.setMessage({
        tone: "error",
        text:
          error.code === "INVALID_TOKEN"
            ? "This reset link is invalid or was already used. Ask for a new one."
            : authErrorMessage(error),
      });
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} onChange={form.onChange} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <NewPasswordFields name="password" errors={form.errors} context={[]} />
      <Button type="submit" className="w-full" pending={form.pending}>
        {form.pending ? "Saving…" : "Set the new password"}
      </Button>
    </form>
  );
}
