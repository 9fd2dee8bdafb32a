"use client";
// Passkeys in settings: the list (name, when added and last used, whether it is synced or on one device), add one
// with a name (a recent sign-in needed: the confirm-it-is-you prompt answers), rename, remove. The auth client is
// downloaded when a passkey is added, renamed or removed, not with the page.
import { type FormEvent, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useAuthAction } from "@/components/settings/use-auth-action";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";

export type PasskeyRow = {
  id: string;
  name: string | null;
  createdAt: Date | null;
  lastUsedAt: Date | null;
  deviceType: string;
};

const DEVICE_TYPES: Record<string, string> = {
  multiDevice: "synced across your devices",
  singleDevice: "on one device",
};

export function PasskeySettings({ passkeys }: { passkeys: PasskeyRow[] }) {
  const { form, prompt, act: run } = useAuthAction();
  const [renaming, setRenaming] = useState<string | null>(null);

  type AuthClient = Parameters<Parameters<typeof run>[0]>[0];
  type Answer = Awaited<ReturnType<Parameters<typeof run>[0]>>;

  /** Runs a Better Auth passkey call, says what went wrong, and shows the list as it now is. */
  const act = (call: (client: AuthClient) => Promise<Answer>, done: string, then?: () => void) =>
    run(call, done, () => {
      then?.();
      setRenaming(null);
    });

  /** A form's submit with its "name" field filled in, or the field's error. */
  function withName(field: string, missing: string, submit: (name: string, target: HTMLFormElement) => void) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const target = event.currentTarget;
      const name = String(new FormData(target).get("name") ?? "").trim();
      if (!name) return form.showErrors(target, { [field]: missing });
      submit(name, target);
    };
  }

  const onAdd = withName("name", "Name it, so you can tell your passkeys apart.", (name, target) =>
    act(
      (client) => client.passkey.addPasskey({ name }),
      `Passkey "${name}" added. You can sign in with it now.`,
      () => target.reset(),
    ),
  );
  const onRename = (id: string) =>
    withName("rename", "Enter a name.", (name) =>
      act((client) => client.passkey.updatePasskey({ id, name }), "Passkey renamed."),
    );
  const remove = (id: string) => act((client) => client.passkey.deletePasskey({ id }), "Passkey removed.");

  return (
    <div className="space-y-4">
      {prompt}
      <FormMessageNotice message={form.message} />
      {passkeys.length === 0 ? (
        <p className="text-sm">
          No passkeys yet. A passkey signs you in with your device&apos;s lock, without a password.
        </p>
      ) : (
        <ul aria-label="Passkeys" className="divide-y divide-slate-200 dark:divide-slate-800">
          {passkeys.map((passkey) => (
            <li
              key={passkey.id}
              className="flex flex-wrap items-center justify-between gap-3 py-3"
              data-testid="passkey"
            >
              {renaming === passkey.id ? (
                <form noValidate onSubmit={onRename(passkey.id)} className="flex flex-wrap items-end gap-2">
                  <TextField
                    label="New name"
                    name="name"
                    defaultValue={passkey.name ?? ""}
                    maxLength={100}
                    error={form.errors.rename}
                  />
                  <Button type="submit" pending={form.pending}>
                    Save
                  </Button>
                  <Button variant="secondary" onClick={() => setRenaming(null)}>
                    Cancel
                  </Button>
                </form>
              ) : (
                <>
                  <div className="min-w-0">
                    <p className="font-medium">{passkey.name || "Passkey"}</p>
                    <p className="text-sm text-slate-600 dark:text-slate-400">
                      {DEVICE_TYPES[passkey.deviceType] ?? passkey.deviceType}
                      {passkey.createdAt && (
                        <>
                          {" "}
                          · added <RelativeTime date={passkey.createdAt} />
                        </>
                      )}{" "}
                      ·{" "}
                      {passkey.lastUsedAt ? (
                        <>
                          last used <RelativeTime date={passkey.lastUsedAt} />
                        </>
                      ) : (
                        "not used yet"
                      )}
                    </p>
                  </div>
                  <div className="flex gap-2">
                    <Button variant="secondary" onClick={() => setRenaming(passkey.id)}>
                      Rename<span className="sr-only"> {passkey.name}</span>
                    </Button>
                    <Button variant="danger" pending={form.pending} onClick={() => remove(passkey.id)}>
                      Remove<span className="sr-only"> {passkey.name}</span>
                    </Button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <form noValidate onSubmit={onAdd} className="flex flex-wrap items-end gap-2" aria-label="Add a passkey">
        <TextField
          label="Passkey name"
          name="name"
          maxLength={100}
          placeholder="Work laptop"
          error={form.errors.name}
        />
        <Button type="submit" pending={form.pending}>
          Add a passkey
        </Button>
      </form>
    </div>
  );
}
