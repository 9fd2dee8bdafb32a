"use client";
import { type FormEvent, useState } from "react";
import { orFreshSessionRequired, ReauthenticationCancelled, useFreshSession } from "@/components/auth/reauthentication";
import { FormMessageNotice } from "@/components/forms/form-message";
import { NewPasswordFields } from "@/components/forms/new-password-fields";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { validate } from "@/components/forms/form-validation";
import { PasswordField } from "@/components/ui/password-field";
import { loadedPasswordChecker, loadPasswordChecker, type PasswordChecker } from "@/lib/password-strength-loader";
import { changePasswordInput } from "@/lib/validation/new-password";
import { api } from "@/trpc/react";

/**
 * Changing the password signs out every other session; this one stays. The auth client and the strength rule
 * are downloaded when the form is used, not with the settings page.
 */
export function ChangePasswordForm({ name, email }: { name: string; email: string }) {
  const check = (checker: PasswordChecker, target: HTMLFormElement) => {
    const data = new FormData(target);
    return validate(changePasswordInput(checker, [name, email]), {
      currentPassword: data.get("currentPassword"),
      newPassword: data.get("newPassword"),
      confirmPassword: data.get("confirmPassword"),
    });
  };
  const form = useFormState((target) => {
    const checker = loadedPasswordChecker();
    return checker ? check(checker, target).errors : null;
  });
  const utils = api.useUtils();
  const { withFreshSession, prompt } = useFreshSession();
  // The new password is a controlled field with its meter: a new key clears both after a change.
  const [generation, setGeneration] = useState(0);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    void form.run(async () => {
      const checked = check(await loadPasswordChecker(), target);
      if (!checked.data) return form.showErrors(target, checked.errors);
      form.setErrors({});
      const { authClient, authErrorMessage } = await import("@/lib/auth-client");
      const { currentPassword, newPassword } = checked.data;
      let error;
      try {
        ({ error } = await withFreshSession(() =>
          orFreshSessionRequired(
            authClient.changePassword({ currentPassword, newPassword, revokeOtherSessions: true }),
          ),
        ));
      } catch (failure) {
        if (failure instanceof ReauthenticationCancelled)
          return form.setMessage({ tone: "info", text: failure.message });
        throw failure;
      }
      if (error?.code === "PASSWORD_TOO_WEAK" || error?.code === "PASSWORD_UNCHANGED")
        return form.showErrors(target, { newPassword: error.message });
      if (error?.code === "INVALID_PASSWORD")
        return form.showErrors(target, { currentPassword: "This is not your current password." });
      if (error) return form.setMessage({ tone: "error", text: authErrorMessage(error) });
      target.reset();
      setGeneration((value) => value + 1);
      form.setMessage({ tone: "success", text: "Password changed. Every other device has been signed out." });
      await utils.session.list.invalidate();
    });
  }

  return (
    <>
      {prompt}
      <form noValidate onSubmit={onSubmit} onChange={form.onChange} className="space-y-4">
        <FormMessageNotice message={form.message} />
        <PasswordField
          label="Current password"
          name="currentPassword"
          autoComplete="current-password"
          error={form.errors.currentPassword}
        />
        <NewPasswordFields key={generation} name="newPassword" errors={form.errors} context={[name, email]} />
        <Button type="submit" pending={form.pending}>
          {form.pending ? "Changing…" : "Change password"}
        </Button>
      </form>
    </>
  );
}
