// Form fields: a visible label, the error tied to the control (aria-invalid + aria-describedby), an optional hint.
import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";

export type ControlProps = {
  id: string;
  name: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

export const controlClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 placeholder:text-slate-500 disabled:cursor-not-allowed disabled:opacity-60 aria-invalid:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400 dark:aria-invalid:border-red-400";

type FieldProps = { label: string; name: string; error?: string; hint?: ReactNode };

export function Field({
  label,
  name,
  error,
  hint,
  children,
}: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {error && (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {hint && (
        <div id={hintId} className="text-sm text-slate-600 dark:text-slate-400">
          {hint}
        </div>
      )}
    </div>
  );
}

type InputFieldProps = FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name">;

export function TextField({ label, name, error, hint, className = "", ...input }: InputFieldProps) {
  return (
    <Field label={label} name={name} error={error} hint={hint}>
      {(control) => <input className={`${controlClass} ${className}`} {...input} {...control} />}
    </Field>
  );
}

export function TextAreaField({
  label,
  name,
  error,
  hint,
  ...textarea
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name">) {
  return (
    <Field label={label} name={name} error={error} hint={hint}>
      {(control) => <textarea className={controlClass} rows={3} {...textarea} {...control} />}
    </Field>
  );
}

export function SelectField({
  label,
  name,
  error,
  hint,
  ...select
}: FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name">) {
  return (
    <Field label={label} name={name} error={error} hint={hint}>
      {(control) => <select className={controlClass} {...select} {...control} />}
    </Field>
  );
}
