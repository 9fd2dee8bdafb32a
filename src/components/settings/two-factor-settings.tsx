"use client";
// Two-factor authentication in settings: turn it on (password, then scan the QR code or type the secret, then the
// first code), see the 10 backup codes once (copy, download), make new ones, or turn it off (password). Each step
// that changes the factor needs a recent sign-in: the server asks, and the confirm-it-is-you prompt answers.
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { orFreshSessionRequired, ReauthenticationCancelled, useFreshSession } from "@/components/auth/reauthentication";
import { sendSecondFactorCode } from "@/components/auth/second-factor-code";
import { FormMessageNotice } from "@/components/forms/form-message";
import { SubmitOrCancel } from "@/components/forms/submit-or-cancel";
import { useFormState } from "@/components/forms/use-form-state";
import { QrCode } from "@/components/settings/qr-code";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { PasswordField } from "@/components/ui/password-field";

type Step =
  | { name: "idle" }
  | { name: "password"; purpose: "enable" | "regenerate" | "disable" }
  | { name: "scan"; totpURI: string; backupCodes: string[] }
  | { name: "codes"; backupCodes: string[]; intro: string };

const PASSWORD_ACTIONS = {
  enable: { label: "Turn on", pending: "Checking…" },
  regenerate: { label: "Make new backup codes", pending: "Making…" },
  disable: { label: "Turn off", pending: "Turning off…" },
} as const;

export function TwoFactorSettings({ enabled }: { enabled: boolean }) {
  const router = useRouter();
  const [step, setStep] = useState<Step>({ name: "idle" });
  const [done, setDone] = useState<string | null>(null);
  const form = useFormState();
  const { withFreshSession, prompt } = useFreshSession();

  function start(purpose: "enable" | "regenerate" | "disable") {
    setDone(null);
    form.setErrors({});
    form.setMessage(null);
    setStep({ name: "password", purpose });
  }

  function cancel() {
    form.setErrors({});
    form.setMessage(null);
    setStep({ name: "idle" });
  }

  function onPassword(purpose: "enable" | "regenerate" | "disable") {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const target = event.currentTarget;
      const password = String(new FormData(target).get("password") ?? "");
      if (!password) return form.showErrors(target, { password: "Enter your password." });
      void form.run(async () => {
        const { authClient, authErrorMessage } = await import("@/lib/auth-client");
        try {
          // The three endpoints answer differently; what matters here is the secret, the codes, or an error.
          type Answer = { data: unknown; error: { code?: string; status: number; message?: string } | null };
          const call = async (): Promise<Answer> =>
            purpose === "enable"
              ? orFreshSessionRequired(authClient.twoFactor.enable({ password }))
              : purpose === "regenerate"
                ? orFreshSessionRequired(authClient.twoFactor.generateBackupCodes({ password }))
                : orFreshSessionRequired(authClient.twoFactor.disable({ password }));
          const { data: answer, error } = await withFreshSession(call);
          const data = answer as { totpURI?: string; backupCodes?: string[] } | null;
          if (error?.code === "INVALID_PASSWORD")
            return form.showErrors(target, { password: "That is not your password." });
          if (error) return form.setMessage({ tone: "error", text: authErrorMessage(error) });
          if (data?.totpURI) {
            return setStep({ name: "scan", totpURI: data.totpURI, backupCodes: data.backupCodes ?? [] });
          }
          if (data?.backupCodes) {
            return setStep({
              name: "codes",
              backupCodes: data.backupCodes,
              intro: "New backup codes: the old ones no longer work.",
            });
          }
          setStep({ name: "idle" });
          setDone("Two-factor authentication is off. Signing in now needs only your password.");
          router.refresh();
        } catch (failure) {
          if (failure instanceof ReauthenticationCancelled)
            return form.setMessage({ tone: "info", text: failure.message });
          throw failure;
        }
      });
    };
  }

  function onFirstCode(backupCodes: string[]) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const target = event.currentTarget;
      const typed = String(new FormData(target).get("code") ?? "");
      void form.run(async () => {
        const result = await sendSecondFactorCode(typed);
        if (!result.ok) return form.showErrors(target, { code: result.message });
        setStep({ name: "codes", backupCodes, intro: "Two-factor authentication is on." });
        router.refresh();
      });
    };
  }

  return (
    <div className="space-y-4">
      {prompt}
      {done && <Notice tone="success">{done}</Notice>}
      {step.name === "idle" && (
        <>
          <p className="text-sm">
            {enabled ? (
              <>
                <strong>On.</strong> Signing in asks for a code from your authenticator app after your password.
              </>
            ) : (
              <>
                <strong>Off.</strong> Add a code from an authenticator app to your password, so a stolen password is not
                enough to get in.
              </>
            )}
          </p>
          <div className="flex flex-wrap gap-2">
            {enabled ? (
              <>
                <Button variant="secondary" onClick={() => start("regenerate")}>
                  New backup codes…
                </Button>
                <Button variant="danger" onClick={() => start("disable")}>
                  Turn off…
                </Button>
              </>
            ) : (
              <Button onClick={() => start("enable")}>Turn on two-factor authentication…</Button>
            )}
          </div>
        </>
      )}
      {step.name === "password" && (
        <form
          noValidate
          onSubmit={onPassword(step.purpose)}
          className="space-y-4"
          aria-label="Confirm with your password"
        >
          <FormMessageNotice message={form.message} />
          <PasswordField
            label="Your password"
            name="password"
            autoComplete="current-password"
            autoFocus
            error={form.errors.password}
          />
          <SubmitOrCancel
            label={PASSWORD_ACTIONS[step.purpose].label}
            pendingLabel={PASSWORD_ACTIONS[step.purpose].pending}
            variant={step.purpose === "disable" ? "danger" : "primary"}
            pending={form.pending}
            onCancel={cancel}
          />
        </form>
      )}
      {step.name === "scan" && (
        <form
          noValidate
          onSubmit={onFirstCode(step.backupCodes)}
          className="space-y-4"
          aria-label="Add Taskforge to your app"
        >
          <FormMessageNotice message={form.message} />
          <p className="text-sm">
            Scan this code with your authenticator app (1Password, Google Authenticator, Authy…), or type the key below
            into it. Then enter the 6-digit code it shows.
          </p>
          <QrCode text={step.totpURI} label="QR code to add Taskforge to your authenticator app" />
          <p className="text-sm">
            Key: <code className="break-all select-all">{new URL(step.totpURI).searchParams.get("secret")}</code>
          </p>
          <TextField
            label="Code from your app"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            error={form.errors.code}
          />
          <SubmitOrCancel label="Turn on" pendingLabel="Checking…" pending={form.pending} onCancel={cancel} />
        </form>
      )}
      {step.name === "codes" && (
        <BackupCodes intro={step.intro} codes={step.backupCodes} onDone={() => setStep({ name: "idle" })} />
      )}
    </div>
  );
}

/** The backup codes, shown once: each signs in once when the authenticator is not at hand. */
function BackupCodes({ intro, codes, onDone }: { intro: string; codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = `Taskforge backup codes (each works once):\n\n${codes.join("\n")}\n`;
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
  return (
    <div className="space-y-4">
      <Notice tone="success">
        {intro} Save these backup codes now: they are shown only once, and each signs you in once if you lose your
        phone.
      </Notice>
      <ul aria-label="Backup codes" className="grid grid-cols-2 gap-2 font-mono text-sm">
        {codes.map((code) => (
          <li key={code} className="rounded bg-slate-100 px-2 py-1 dark:bg-slate-800">
            {code}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          onClick={() => void navigator.clipboard.writeText(text).then(() => setCopied(true))}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <a href={download} download="taskforge-backup-codes.txt" className="inline-flex min-h-10 items-center text-sm">
          Download
        </a>
        <Button onClick={onDone}>I have saved them</Button>
      </div>
    </div>
  );
}
