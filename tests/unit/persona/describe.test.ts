import { describe, expect, it } from "vitest";
import { describePersonaForUser } from "@/lib/domain/persona/describe";
import type { TPersona } from "@/lib/domain/persona/schema";
import { DEFAULT_PERSONA_TEMPLATE, renderPersonaPrompt } from "@/lib/domain/persona/template";

const persona: TPersona = {
  ageBand: "55-64",
  gender: "prefer_not_to_say",
  expertise: "trades",
  preferences: { detail: 85 },
  aboutMe: "Electrician, new to AI.",
};

describe("describePersonaForUser", () => {
  it("lists one statement per fact sent, with label and words", () => {
    expect(describePersonaForUser(persona).map((statement) => statement.text)).toEqual([
      "Age: 55–64",
      "Field of expertise: Skilled trades",
      "Detail: prefers detailed, thorough answers",
      "About me: Electrician, new to AI.",
    ]);
  });

  it("matches exactly the fields the prompt uses", () => {
    const statements = describePersonaForUser(persona);
    expect(statements.map((statement) => statement.key)).toEqual(renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, persona).fieldsUsed);
  });

  it("shows values that appear verbatim in the system prompt", () => {
    const { systemPrompt } = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, persona);
    for (const statement of describePersonaForUser(persona)) expect(systemPrompt).toContain(statement.value);
  });

  it("includes aboutMe because it is sent to the models", () => {
    expect(describePersonaForUser(persona).some((statement) => statement.key === "aboutMe")).toBe(true);
  });

  it("follows a custom template and leaves out fields it does not send", () => {
    const statements = describePersonaForUser(persona, "Expert in {{expertise}}.");
    expect(statements.map((statement) => statement.key)).toEqual(["expertise"]);
  });

  it("leaves out known fields on a line dropped for a missing field", () => {
    expect(describePersonaForUser(persona, "{{ageBand}} {{gender}}")).toEqual([]);
  });

  it("returns nothing for an empty persona", () => {
    expect(describePersonaForUser({})).toEqual([]);
  });
});
