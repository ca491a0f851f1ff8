import { describe, expect, it } from "vitest";
import { PERSONA_FIELDS, PERSONA_PLACEHOLDERS, personaField } from "@/lib/domain/persona/fields";
import { PREFERENCE_KEYS, ZPersonaSchema } from "@/lib/domain/persona/schema";

describe("PERSONA_FIELDS", () => {
  it("has unique keys", () => {
    expect(new Set(PERSONA_PLACEHOLDERS).size).toBe(PERSONA_FIELDS.length);
  });

  it("covers every persona schema key and every slider", () => {
    const topLevel = Object.keys(ZPersonaSchema.shape).filter((key) => key !== "preferences");
    for (const key of topLevel) expect(PERSONA_PLACEHOLDERS).toContain(key);
    for (const key of PREFERENCE_KEYS) expect(PERSONA_PLACEHOLDERS).toContain(`preferences.${key}`);
    expect(PERSONA_FIELDS).toHaveLength(topLevel.length + PREFERENCE_KEYS.length);
  });

  it("gives every field a label and help text", () => {
    for (const field of PERSONA_FIELDS) {
      expect(field.label.length).toBeGreaterThan(0);
      expect(field.help.length).toBeGreaterThan(0);
    }
  });

  it("lists options whose values the schema accepts", () => {
    for (const field of PERSONA_FIELDS) {
      if (field.kind !== "single" && field.kind !== "multi") continue;
      expect(field.options.length).toBeGreaterThan(0);
      for (const option of field.options) {
        const value = field.kind === "multi" ? [option.value] : option.value;
        expect(ZPersonaSchema.safeParse({ [field.key]: value }).success, `${field.key}=${option.value}`).toBe(true);
      }
    }
  });

  it("marks free-text fields as never releasable", () => {
    expect(personaField("aboutMe")?.releasable).toBe(false);
    expect(personaField("occupation")?.releasable).toBe(false);
    expect(personaField("ageBand")?.releasable).toBe(true);
  });

  it("describes sliders with a 0–100 range and end labels", () => {
    const detail = personaField("preferences.detail");
    expect(detail).toMatchObject({ kind: "slider", min: 0, max: 100, lowLabel: "Concise", highLabel: "Detailed" });
  });

  it("returns undefined for an unknown key", () => {
    expect(personaField("salary")).toBeUndefined();
  });
});
