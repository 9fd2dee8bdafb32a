"use client";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { useFormState } from "@/components/forms/use-form-state";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { serverFieldErrors, validate } from "@/components/forms/form-validation";
import { updateProfileInput } from "@/lib/validation/user";
import { api } from "@/trpc/react";

const checkProfile = (target: HTMLFormElement) =>
  validate(updateProfileInput, { name: new FormData(target).get("name") });

export function ProfileForm({ name, email }: { name: string; email: string }) {
  const form = useFormState((target) => checkProfile(target).errors);
  const router = useRouter();
  const updateProfile = api.user.updateProfile.useMutation();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const checked = checkProfile(target);
    if (!checked.data) return form.showErrors(target, checked.errors);
    form.setErrors({});
    void form.run(async () => {
      try {
        await updateProfile.mutateAsync(checked.data);
        form.setMessage({ tone: "success", text: "Your name is saved." });
        router.refresh();
      } catch (error) {
        form.setErrors(serverFieldErrors(error));
        form.setMessage({ tone: "error", text: "Your name was not saved. Check it and try again." });
      }
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} onChange={form.onChange} className="space-y-4">
      <FormMessageNotice message={form.message} />
      <TextField label="Name" name="name" autoComplete="name" defaultValue={name} error={form.errors.name} />
      <TextField
        label="Email"
        name="email"
        type="email"
        value={email}
        readOnly
        className="read-only:bg-slate-100 dark:read-only:bg-slate-800"
        hint="Change it under Email address, below."
      />
      <Button type="submit" pending={form.pending}>
        {form.pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
