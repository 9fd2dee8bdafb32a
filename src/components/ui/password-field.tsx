"use client";
// A password input with a show toggle that keeps focus; its name stays "Show password", aria-pressed tells its state.
import { type InputHTMLAttributes, type ReactNode, useState } from "react";
import { controlClass, Field } from "@/components/ui/field";

type PasswordFieldProps = { label: string; name: string; error?: string; hint?: ReactNode } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "name" | "type"
>;

export function PasswordField({ label, name, error, hint, ...input }: PasswordFieldProps) {
  const [visible, setVisible] = useState(false);
  return (
    <Field label={label} name={name} error={error} hint={hint}>
      {(control) => (
        <div className="flex gap-2">
          <input type={visible ? "text" : "password"} className={controlClass} {...input} {...control} />
          <button
            type="button"
            className="shrink-0 rounded-md border border-slate-300 px-3 text-sm font-medium hover:bg-slate-100 aria-pressed:bg-slate-200 aria-pressed:text-slate-950 dark:border-slate-600 dark:hover:bg-slate-800 dark:aria-pressed:bg-slate-700 dark:aria-pressed:text-white"
            aria-controls={control.id}
            aria-pressed={visible}
            onClick={() => setVisible((shown) => !shown)}
          >
            Show<span className="sr-only"> password</span>
          </button>
        </div>
      )}
    </Field>
  );
}
