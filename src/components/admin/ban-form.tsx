"use client";
import type { FormEvent } from "react";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { type Failure, validate } from "@/components/forms/form-validation";
import { banInput } from "@/lib/validation/user";
import type { RouterInputs } from "@/trpc/react";

type BanInput = RouterInputs["user"]["ban"];

/**
 * Reason and optional end date of a ban; checked with the router's own schema before it is sent. It stays open
 * with what was typed until the ban is confirmed (`onBan` resolves to null).
 */
export function BanForm({
  userId,
  onBan,
  onCancel,
}: {
  userId: string;
  onBan: (input: BanInput) => Promise<Failure | null>;
  onCancel: () => void;
}) {
  function check(target: HTMLFormElement) {
    const data = new FormData(target);
    const reason = String(data.get("reason") ?? "").trim();
    const until = String(data.get("expiresAt") ?? "");
    return validate(banInput, {
      userId,
      ...(reason ? { reason } : {}),
      ...(until ? { expiresAt: new Date(`${until}T23:59:59`) } : {}),
    });
  }
  const form = useFormState((target) => check(target).errors);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = check(target);
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    void form.run(async () => {
      const failure = await onBan(checked.data);
      if (!failure) return;
      form.setErrors(failure.fieldErrors);
      form.focusWhenIdle(target, "[name='reason']");
    });
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      onChange={form.onChange}
      aria-label="Ban this user"
      className="mt-3 grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end"
    >
      <TextField label="Reason" name="reason" maxLength={500} disabled={form.pending} error={form.errors.reason} />
      <TextField
        label="Banned until (optional)"
        name="expiresAt"
        type="date"
        disabled={form.pending}
        error={form.errors.expiresAt}
      />
      <div className="flex gap-2">
        <Button type="submit" variant="danger" pending={form.pending}>
          {form.pending ? "Banning…" : "Ban"}
        </Button>
        <Button variant="secondary" disabled={form.pending} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
