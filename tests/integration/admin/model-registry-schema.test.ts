import { describe, expect, it } from "vitest";
import { DEFAULT_PERSONA_TEMPLATE, renderPersonaPrompt } from "@/lib/domain/persona";
import {
  PROVIDER_KIND_OPTIONS,
  SAMPLE_PREVIEW_PERSONA,
  ZEndpointSchema,
  ZEnvVarNameSchema,
  parseExtraParamsJson,
} from "@/lib/schemas/model-registry";

describe("model registry schema (shared by the admin form and the server)", () => {
  it("parses an empty extra-parameters field as an empty object", () => {
    expect(parseExtraParamsJson("  ")).toEqual({ ok: true, value: {} });
  });

  it("parses a JSON object", () => {
    expect(parseExtraParamsJson('{ "temperature": 0.7, "stop": ["\\n"] }')).toEqual({ ok: true, value: { temperature: 0.7, stop: ["\n"] } });
  });

  it("explains invalid JSON", () => {
    const result = parseExtraParamsJson("{ temperature: 0.7 }");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Not valid JSON/);
  });

  it.each(["[1, 2]", "42", '"text"', "null"])("refuses the non-object %s", (text) => {
    expect(parseExtraParamsJson(text)).toMatchObject({ ok: false, error: expect.stringContaining("JSON object") });
  });

  it("refuses oversized extra parameters", () => {
    expect(parseExtraParamsJson(JSON.stringify({ prompt: "x".repeat(20_000) })).ok).toBe(false);
  });

  it.each(["http://localhost:11434/v1", "https://api.example.com/v1"])("accepts the endpoint %s", (url) => {
    expect(ZEndpointSchema.safeParse(url).success).toBe(true);
  });

  it.each(["ftp://example.com", "file:///etc/passwd", "javascript:alert(1)", "example.com/v1", "https://key@example.com/v1", ""])("refuses the endpoint %j", (url) => {
    expect(ZEndpointSchema.safeParse(url).success).toBe(false);
  });

  it.each(["OPENAI_API_KEY", "TEST_KEY_X", "K2"])("accepts the variable name %s", (name) => {
    expect(ZEnvVarNameSchema.safeParse(name).success).toBe(true);
  });

  it.each(["openai_api_key", "sk-abc123", "1KEY", "A", "DATABASE_URL", "AUTH_SECRET", "PSEUDONYM_SECRET"])("refuses the variable name %s", (name) => {
    expect(ZEnvVarNameSchema.safeParse(name).success).toBe(false);
  });

  it("lists every provider kind once, each with a modality and a hint", () => {
    const kinds = PROVIDER_KIND_OPTIONS.map((option) => option.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toEqual(expect.arrayContaining(["openai_compatible", "anthropic", "demo_text", "openai_images", "http_image", "demo_image", "http_music", "demo_music"]));
    for (const option of PROVIDER_KIND_OPTIONS) expect(option.hint.length).toBeGreaterThan(20);
  });

  it("has a sample persona that personalizes the default template", () => {
    const rendered = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, SAMPLE_PREVIEW_PERSONA);
    expect(rendered.systemPrompt).toContain("Hydrologist");
    expect(rendered.fieldsUsed.length).toBeGreaterThan(8);
  });
});
