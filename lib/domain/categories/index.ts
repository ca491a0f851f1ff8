export * from "./vocabulary";
export { classifyPrompt } from "./classify";
export { loadLanguageDetector, type TDetectLanguage } from "./language";
export { duplicatePromptWeight, normalizePrompt, promptHash } from "./prompt-hash";
