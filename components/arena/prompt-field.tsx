"use client";

import type { KeyboardEvent } from "react";
import { inputClass } from "@/components/ui/field";
import { PROMPT_MAX_LENGTH } from "@/lib/schemas/battle";

/** The counter appears once a prompt uses this share of the limit. */
const COUNTER_FROM = 0.8;

const format = (count: number) => count.toLocaleString("en");

/** Whether a prompt can be sent: not blank and within the limit (the server checks the same). */
export function isSendablePrompt(prompt: string): boolean {
  return prompt.trim() !== "" && prompt.length <= PROMPT_MAX_LENGTH;
}

/**
 * A prompt textarea that never cuts a paste short: past the limit it keeps the whole text, says by
 * how much it is too long and the form refuses to send it. A live counter shows near the limit.
 */
export function PromptField({
  id,
  label,
  labelClassName = "sr-only",
  value,
  onChange,
  placeholder,
  rows,
  onSubmitShortcut,
}: {
  id: string;
  label: string;
  labelClassName?: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  rows: number;
  onSubmitShortcut?: () => void;
}) {
  const over = value.length - PROMPT_MAX_LENGTH;
  const showCounter = value.length >= PROMPT_MAX_LENGTH * COUNTER_FROM;
  const counterId = `${id}-limit`;
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey) && onSubmitShortcut && isSendablePrompt(value)) onSubmitShortcut();
  };
  return (
    <div className="w-full space-y-1">
      <label htmlFor={id} className={labelClassName}>
        {label}
      </label>
      <textarea
        id={id}
        name={id}
        rows={rows}
        placeholder={placeholder}
        aria-invalid={over > 0}
        aria-describedby={showCounter ? counterId : undefined}
        className={`${inputClass} text-base ${over > 0 ? "border-rose-400 focus:border-rose-500 focus:ring-rose-200" : ""}`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {showCounter ? (
        <p id={counterId} data-testid="prompt-counter" aria-live="polite" className={`text-xs ${over > 0 ? "font-medium text-rose-700" : "text-slate-500"}`}>
          {over > 0
            ? `${format(value.length)} / ${format(PROMPT_MAX_LENGTH)} characters: ${format(over)} too many. Shorten your prompt to send it; nothing was cut.`
            : `${format(value.length)} / ${format(PROMPT_MAX_LENGTH)} characters`}
        </p>
      ) : null}
    </div>
  );
}
