import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";

export const inputClass =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 aria-[invalid=true]:border-rose-500";

type FieldProps = { label: string; name: string; error?: string | null; hint?: ReactNode };

export function TextField({ label, name, error, hint, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const errorId = `${name}-error`;
  return (
    <label className="block space-y-1">
      <span className="text-sm font-medium text-slate-700">{label}</span>
      <input name={name} id={name} aria-invalid={Boolean(error)} aria-describedby={error ? errorId : undefined} className={inputClass} {...props} />
      {hint && !error ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      {error ? (
        <span id={errorId} role="alert" className="block text-xs text-rose-600">
          {error}
        </span>
      ) : null}
    </label>
  );
}

export function TextAreaField({ label, name, error, hint, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <label className="block space-y-1">
      <span className="text-sm font-medium text-slate-700">{label}</span>
      <textarea name={name} id={name} aria-invalid={Boolean(error)} className={inputClass} {...props} />
      {hint && !error ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      {error ? <span role="alert" className="block text-xs text-rose-600">{error}</span> : null}
    </label>
  );
}
