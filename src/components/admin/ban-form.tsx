"use client";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { type FieldErrors, validate } from "@/components/ui/form-validation";
import { banInput } from "@/lib/validation/user";
import type { RouterInputs } from "@/trpc/react";

type BanInput = RouterInputs["user"]["ban"];

/** Reason and optional end date of a ban; checked with the router's own schema before it is sent. */
export function BanForm({ userId, onBan, onCancel }: { userId: string; onBan: (input: BanInput) => void; onCancel: () => void }) {
  const [errors, setErrors] = useState<FieldErrors>({});

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const reason = String(data.get("reason") ?? "").trim();
    const until = String(data.get("expiresAt") ?? "");
    const checked = validate(banInput, {
      userId,
      ...(reason ? { reason } : {}),
      ...(until ? { expiresAt: new Date(`${until}T23:59:59`) } : {}),
    });
    if (!checked.data) return setErrors(checked.errors);
    onBan(checked.data);
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-label="Ban this user" className="mt-3 grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
      <TextField label="Reason" name="reason" maxLength={500} error={errors.reason} />
      <TextField label="Banned until (optional)" name="expiresAt" type="date" error={errors.expiresAt} />
      <div className="flex gap-2">
        <Button type="submit" variant="danger">
          Ban
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
