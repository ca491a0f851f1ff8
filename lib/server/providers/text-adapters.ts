import "server-only";

import { createAnthropicTextProvider } from "./anthropic";
import { createDemoTextProvider } from "./demo-text";
import { createOpenAICompatibleTextProvider } from "./openai-compatible";
import type { ModelConfig, ProviderDependencies, TextProvider } from "./types";

export type TTextProviderKind = "openai_compatible" | "anthropic" | "demo_text";

/** The bare text adapter of a registry entry (no concurrency limit, same thread). */
export function createTextAdapter(config: ModelConfig & { providerKind: TTextProviderKind }, deps: ProviderDependencies): TextProvider {
  switch (config.providerKind) {
    case "openai_compatible":
      return createOpenAICompatibleTextProvider(config, deps);
    case "anthropic":
      return createAnthropicTextProvider(config, deps);
    case "demo_text":
      return createDemoTextProvider(config);
  }
}
