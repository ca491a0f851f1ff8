import { describe, expect, it } from "vitest";
import { DEFAULT_PERSONA_TEMPLATE, renderPersonaPrompt } from "@/lib/domain/persona";
import { withoutPersonalData } from "@/lib/domain/persona/sendable";

describe("withoutPersonalData", () => {
  it("drops each free-text field that carries personal data and keeps the rest", () => {
    const persona = { country: "FR", occupation: "nurse at 12 Harbour Road", aboutMe: "I like sailing." };
    expect(withoutPersonalData(persona)).toEqual({ country: "FR", aboutMe: "I like sailing." });
    expect(persona.occupation).toBe("nurse at 12 Harbour Road");
  });
  it("returns the same persona when nothing is personal", () => {
    const persona = { occupation: "glaciologist", aboutMe: "I ski on weekends." };
    expect(withoutPersonalData(persona)).toBe(persona);
  });
  it("so the system prompt never carries the value", () => {
    const { systemPrompt } = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, withoutPersonalData({ country: "FR", aboutMe: "My name is Jennifer Walsh, call +33 6 12 34 56 78" }));
    expect(systemPrompt).toContain("France");
    expect(systemPrompt).not.toMatch(/Jennifer|56 78/);
  });
});
