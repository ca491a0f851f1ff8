/** The whole `adminModels.create` input for an OpenAI-compatible text model, as the admin form sends it. */
export function openAiCompatibleModelInput(fields: { slug: string; displayName: string; organizationId: string; endpoint: string; providerModelId: string; maxTokens?: number; maxConcurrency?: number }) {
  return {
    modality: "text",
    providerKind: "openai_compatible",
    apiKeyEnvVar: null,
    extraParams: {},
    personaTemplate: null,
    samplingWeight: 1,
    redistributable: true,
    timeoutMs: 5_000,
    maxTokens: 256,
    maxConcurrency: 8,
    ...fields,
  };
}
