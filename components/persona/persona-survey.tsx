"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { PERSONA_FIELDS, PREFER_NOT_TO_SAY, type TPersona, type TPersonaField, type TPersonaFieldSection, type TPersonaTextField } from "@/lib/domain/persona";
import { useTRPC } from "@/lib/trpc/react";

const SECTIONS: Array<{ id: TPersonaFieldSection; title: string; help: string }> = [
  { id: "about_you", title: "About you", help: "Helps the models pitch their answers." },
  { id: "ai_use", title: "How you use AI", help: "" },
  { id: "preferences", title: "What you like in an answer", help: "Leave a slider untouched if you have no preference." },
];

type TValue = string | string[] | number | undefined;

function readValue(persona: TPersona, key: string): TValue {
  if (key.startsWith("preferences.")) return persona.preferences?.[key.slice(12) as keyof NonNullable<TPersona["preferences"]>] as TValue;
  return (persona as Record<string, TValue>)[key];
}

function writeValue(persona: TPersona, key: string, value: TValue): TPersona {
  if (key.startsWith("preferences.")) {
    const preferences = { ...persona.preferences, [key.slice(12)]: value };
    return { ...persona, preferences: preferences as TPersona["preferences"] };
  }
  return { ...persona, [key]: value } as TPersona;
}

/** Drops unanswered fields so the stored persona says only what the person chose to say. */
function compact(persona: TPersona): TPersona {
  const entries = Object.entries(persona).filter(([, value]) => value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0));
  const result = Object.fromEntries(entries) as TPersona;
  if (persona.preferences) {
    const preferences = Object.fromEntries(Object.entries(persona.preferences).filter(([, value]) => value !== undefined));
    if (Object.keys(preferences).length > 0) result.preferences = preferences as TPersona["preferences"];
    else delete result.preferences;
  }
  return result;
}

function PreferNotToSay({ id, checked, onChange }: { id: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="inline-flex items-center gap-1.5 text-xs text-slate-500">
      <input type="checkbox" id={id} checked={checked} onChange={(event) => onChange(event.target.checked)} className="h-3.5 w-3.5 rounded border-slate-300" />
      Prefer not to say
    </label>
  );
}

function FieldShell({ field, children, declined, onDecline }: { field: TPersonaField; children: ReactNode; declined: boolean; onDecline: (declined: boolean) => void }) {
  const id = `persona-${field.key.replace(".", "-")}`;
  return (
    <div className="space-y-1.5" role="group" aria-labelledby={`${id}-label`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span id={`${id}-label`} className="text-sm font-medium text-slate-800">
          {field.label}
        </span>
        <PreferNotToSay id={`${id}-decline`} checked={declined} onChange={onDecline} />
      </div>
      {field.help ? <p className="text-xs text-slate-500">{field.help}</p> : null}
      <div className={declined ? "pointer-events-none opacity-40" : ""} aria-disabled={declined}>
        {children}
      </div>
    </div>
  );
}

function FieldInput({ field, value, onChange }: { field: TPersonaField; value: TValue; onChange: (value: TValue) => void }) {
  const id = `persona-${field.key.replace(".", "-")}`;
  if (field.kind === "single") {
    return (
      <select id={id} aria-label={field.label} className={inputClass} value={typeof value === "string" ? value : ""} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">Not answered</option>
        {field.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  }
  if (field.kind === "multi") {
    const selected = Array.isArray(value) ? value : [];
    const full = field.maxItems !== undefined && selected.length >= field.maxItems;
    if (field.options.length > 12) {
      return (
        <div className="space-y-2">
          <select
            id={id}
            aria-label={`Add ${field.label.toLowerCase()}`}
            className={inputClass}
            value=""
            disabled={full}
            onChange={(event) => event.target.value && onChange([...selected, event.target.value])}
          >
            <option value="">{full ? `At most ${field.maxItems}` : "Add…"}</option>
            {field.options
              .filter((option) => !selected.includes(option.value))
              .map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
          </select>
          <div className="flex flex-wrap gap-1.5">
            {selected.map((item) => (
              <button
                key={item}
                type="button"
                onClick={() => onChange(selected.filter((other) => other !== item))}
                className="rounded-full bg-brand-50 px-2.5 py-1 text-xs text-brand-700 ring-1 ring-brand-100 hover:bg-brand-100"
                aria-label={`Remove ${field.options.find((option) => option.value === item)?.label ?? item}`}
              >
                {field.options.find((option) => option.value === item)?.label ?? item} ×
              </button>
            ))}
          </div>
        </div>
      );
    }
    return (
      <div className="flex flex-wrap gap-1.5">
        {field.options.map((option) => {
          const checked = selected.includes(option.value);
          return (
            <label key={option.value} className={`cursor-pointer rounded-full px-3 py-1 text-xs ring-1 ${checked ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}>
              <input
                type="checkbox"
                className="sr-only"
                checked={checked}
                onChange={() => onChange(checked ? selected.filter((item) => item !== option.value) : [...selected, option.value])}
              />
              {option.label}
            </label>
          );
        })}
      </div>
    );
  }
  if (field.kind === "slider") {
    const set = typeof value === "number";
    return (
      <div className="space-y-1">
        <input
          id={id}
          type="range"
          min={field.min}
          max={field.max}
          value={set ? value : 50}
          aria-label={field.label}
          aria-valuetext={set ? String(value) : "Not answered"}
          onChange={(event) => onChange(Number(event.target.value))}
          className={`w-full accent-brand-600 ${set ? "" : "opacity-50"}`}
        />
        <div className="flex justify-between text-xs text-slate-500">
          <span>{field.lowLabel}</span>
          {set ? (
            <button type="button" className="underline" onClick={() => onChange(undefined)}>
              No preference
            </button>
          ) : (
            <span>No preference</span>
          )}
          <span>{field.highLabel}</span>
        </div>
      </div>
    );
  }
  const common = {
    id,
    "aria-label": field.label,
    className: inputClass,
    maxLength: (field as TPersonaTextField).maxLength,
    value: typeof value === "string" ? value : "",
  };
  return field.kind === "textarea" ? (
    <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />
  ) : (
    <input {...common} onChange={(event) => onChange(event.target.value)} />
  );
}

export interface PersonaSurveyProps {
  initial: TPersona | null;
  submitLabel: string;
  onSaved?: (version: number) => void;
  /** Offers "Skip for now", which saves an empty persona (nothing is sent to models). */
  allowSkip?: boolean;
}

/**
 * The persona survey (PRISM-style), rendered from PERSONA_FIELDS. Every question is optional and has
 * "Prefer not to say". Saving always creates a new persona version.
 */
export function PersonaSurvey({ initial, submitLabel, onSaved, allowSkip = false }: PersonaSurveyProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [persona, setPersona] = useState<TPersona>(initial ?? {});
  // The answer given before "Prefer not to say" was ticked, restored when it is unticked.
  const [beforeDeclining, setBeforeDeclining] = useState<Record<string, TValue>>({});
  const setDeclined = (key: string, value: TValue, checked: boolean) => {
    if (checked && value !== PREFER_NOT_TO_SAY) setBeforeDeclining((current) => ({ ...current, [key]: value }));
    setPersona((current) => writeValue(current, key, checked ? PREFER_NOT_TO_SAY : beforeDeclining[key]));
  };
  const [saved, setSaved] = useState<number | null>(null);
  const save = useMutation(
    trpc.persona.save.mutationOptions({
      onSuccess: async (result) => {
        setSaved(result.version);
        await queryClient.invalidateQueries({ queryKey: trpc.persona.pathKey() });
        onSaved?.(result.version);
      },
    }),
  );

  return (
    <form
      className="space-y-8"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(compact(persona));
      }}
    >
      {SECTIONS.map((section) => (
        <fieldset key={section.id} className="space-y-4">
          <legend className="text-base font-semibold text-slate-900">{section.title}</legend>
          {section.help ? <p className="-mt-2 text-xs text-slate-500">{section.help}</p> : null}
          <div className="grid gap-5 sm:grid-cols-2">
            {PERSONA_FIELDS.filter((field) => field.section === section.id).map((field) => {
              const value = readValue(persona, field.key);
              const declined = value === PREFER_NOT_TO_SAY;
              return (
                <div key={field.key} className={field.kind === "textarea" || (field.kind === "multi" && field.options.length <= 12) ? "sm:col-span-2" : ""}>
                  <FieldShell field={field} declined={declined} onDecline={(checked) => setDeclined(field.key, value, checked)}>
                    <FieldInput field={field} value={declined ? undefined : value} onChange={(next) => setPersona((current) => writeValue(current, field.key, next))} />
                  </FieldShell>
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
      {save.error ? <Alert>{save.error.message}</Alert> : null}
      {saved !== null && !save.isPending ? <Alert tone="success">Saved as version {saved}. New battles use it; earlier battles keep the version they were made with.</Alert> : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : submitLabel}
        </Button>
        {allowSkip ? (
          <Button variant="ghost" disabled={save.isPending} onClick={() => save.mutate({})}>
            Skip for now
          </Button>
        ) : null}
      </div>
    </form>
  );
}
