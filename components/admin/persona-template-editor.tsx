"use client";

import { useMemo } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { DEFAULT_PERSONA_TEMPLATE, PERSONA_PLACEHOLDERS, renderPersonaPrompt, validatePersonaTemplate } from "@/lib/domain/persona";
import { SAMPLE_PREVIEW_PERSONA } from "@/lib/schemas/model-registry";

/**
 * The persona template field: errors from `validatePersonaTemplate` as you type, and the system
 * prompt this template produces for a sample persona. Empty means the default template.
 */
export function PersonaTemplateEditor({ value, onChange, serverError }: { value: string; onChange: (value: string) => void; serverError?: string }) {
  const effective = value.trim() === "" ? DEFAULT_PERSONA_TEMPLATE : value;
  const validation = useMemo(() => validatePersonaTemplate(effective), [effective]);
  const preview = useMemo(() => (validation.ok ? renderPersonaPrompt(effective, SAMPLE_PREVIEW_PERSONA) : null), [effective, validation.ok]);
  const errors = validation.ok ? (serverError ? [serverError] : []) : validation.errors;

  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between gap-2">
        <label htmlFor="personaTemplate" className="text-sm font-medium text-slate-700">Persona template</label>
        <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => onChange(DEFAULT_PERSONA_TEMPLATE)}>Start from the default template</Button>
      </div>
      <textarea
        id="personaTemplate"
        name="personaTemplate"
        rows={8}
        className={`${inputClass} font-mono text-xs`}
        aria-invalid={errors.length > 0}
        aria-describedby="personaTemplate-help"
        placeholder="Empty: the default persona template"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id="personaTemplate-help" className="text-xs text-slate-500">
        Placeholders: {PERSONA_PLACEHOLDERS.map((key) => `{{${key}}}`).join(", ")}. Sections: {"{{#if key}}…{{else}}…{{/if}}"}.
      </p>
      {errors.length > 0 ? (
        <ul role="alert" data-testid="persona-template-errors" className="list-disc space-y-0.5 pl-5 text-xs text-rose-600">
          {errors.map((error) => <li key={error}>{error}</li>)}
        </ul>
      ) : null}
      {preview ? (
        <div className="rounded-lg border border-slate-200 bg-slate-50 p-3">
          <p className="text-xs font-medium text-slate-600">Preview for a sample persona (a Chilean hydrologist, 35–44)</p>
          <pre data-testid="persona-template-preview" className="mt-2 whitespace-pre-wrap font-sans text-xs text-slate-800">
            {preview.systemPrompt ?? "(nothing personal is sent with this template)"}
          </pre>
        </div>
      ) : null}
    </div>
  );
}
