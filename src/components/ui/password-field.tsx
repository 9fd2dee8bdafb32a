"use client";
// A password input with a show/hide toggle that keeps focus and tells assistive technology its state.
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
            className="shrink-0 rounded-md border border-slate-300 px-3 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
            aria-controls={control.id}
            aria-pressed={visible}
            onClick={() => setVisible((shown) => !shown)}
          >
            {visible ? "Hide" : "Show"}
            <span className="sr-only"> password</span>
          </button>
        </div>
      )}
    </Field>
  );
}
