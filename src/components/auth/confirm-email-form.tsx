"use client";
// Confirms an address from the mailed link: with the password chosen at sign-up, with a new one that replaces
// whatever password the account was created with (someone else may have started the sign-up), or with a passkey made
// on this device instead of any password (first, for an account that signed up for one).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { usePasskeysAvailable } from "@/components/auth/passkeys-available";
import { FormMessageNotice } from "@/components/forms/form-message";
import { NewPasswordFields } from "@/components/forms/new-password-fields";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { validate } from "@/components/forms/form-validation";
import { PasswordField } from "@/components/ui/password-field";
import { authClient, authErrorMessage } from "@/lib/auth-client";
import { loadedPasswordChecker, loadPasswordChecker, type PasswordChecker } from "@/lib/password-strength-loader";
import { resetPasswordInput } from "@/lib/validation/new-password";

type Mode = "password" | "newPassword" | "passkey";

/** What the first passkey is called until it is renamed in settings. */
const FIRST_PASSKEY_NAME = "Added when I signed up";

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

export function ConfirmEmailForm({ token, offersPasskey }: { token: string; offersPasskey: boolean }) {
  const router = useRouter();
  const [chosen, setMode] = useState<Mode>(offersPasskey ? "passkey" : "password");
  const passkeysAvailable = usePasskeysAvailable();
  // Without passkeys in this browser, an account made for one chooses a password.
  const mode = chosen === "passkey" && !passkeysAvailable ? "newPassword" : chosen;
  // Confirmed and signed in, but the browser made no passkey (cancelled, or failed): offer it again.
  const [withoutPasskey, setWithoutPasskey] = useState(false);
  const [linkError, setLinkError] = useState<string | null>(null);
  const form = useFormState((target) => {
    if (mode === "passkey") return null;
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

  async function makePasskey() {
    const made = await authClient.passkey.addPasskey({ name: FIRST_PASSKEY_NAME });
    if (made?.error) return setWithoutPasskey(true);
    router.push("/verify-email?verified=1");
    router.refresh();
  }

  if (withoutPasskey) {
    return (
      <div className="space-y-4">
        <FormMessageNotice
          message={{
            tone: "info",
            text: "Your address is confirmed and you are signed in, but this device made no passkey. Try again, or add one later in Settings; until then, sign in with a link by email.",
          }}
        />
        <Button className="w-full" pending={form.pending} onClick={() => void form.run(makePasskey)}>
          Create a passkey
        </Button>
        <Link href="/tasks">Go to your tasks</Link>
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
      let body: { token: string; password?: string; newPassword?: string; passkey?: true };
      if (mode === "passkey") {
        body = { token, passkey: true };
      } else if (mode === "password") {
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
      if (!error && mode === "passkey") return makePasskey();
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
      <p className="text-sm text-slate-600 dark:text-slate-400">{MODE_INTRO[mode]}</p>
      <FormMessageNotice message={form.message} />
      {mode === "passkey" ? null : mode === "password" ? (
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
        {form.pending ? "Confirming…" : MODE_SUBMIT[mode]}
      </Button>
      {mode === "password" ? (
        <p className="text-sm">
          Did not sign up, or do not know this password?{" "}
          <SwitchButton onClick={() => switchTo("newPassword")} disabled={form.pending}>
            Choose a new password
          </SwitchButton>{" "}
          instead: it replaces any password the account was created with.
        </p>
      ) : offersPasskey ? (
        mode === "passkey" && (
          <p className="text-sm">
            <SwitchButton onClick={() => switchTo("newPassword")} disabled={form.pending}>
              Choose a password instead
            </SwitchButton>
          </p>
        )
      ) : (
        <p className="text-sm">
          <SwitchButton onClick={() => switchTo("password")} disabled={form.pending}>
            Confirm with the password I chose
          </SwitchButton>
        </p>
      )}
      {passkeysAvailable && mode !== "passkey" && (
        <p className="text-sm">
          <SwitchButton onClick={() => switchTo("passkey")} disabled={form.pending}>
            Use a passkey instead of a password
          </SwitchButton>
        </p>
      )}
    </form>
  );
}

const MODE_INTRO: Record<Mode, string> = {
  password: "Enter the password you chose when you signed up. Confirming signs you in.",
  newPassword:
    "Choose a new password. It replaces any password this account was made with, and signs out every device.",
  passkey:
    "Confirm your address and make a passkey on this device: you sign in with its lock, no password. It replaces any password this account was made with.",
};

const MODE_SUBMIT: Record<Mode, string> = {
  password: "Confirm my email",
  newPassword: "Set the password and confirm",
  passkey: "Confirm and create a passkey",
};

function SwitchButton({ onClick, disabled, children }: { onClick: () => void; disabled: boolean; children: string }) {
  return (
    <button type="button" className="font-medium underline" disabled={disabled} onClick={onClick}>
      {children}
    </button>
  );
}
