export * from "./vocabulary";
export { classifyPrompt, type TPromptClassification } from "./classify";
export { loadLanguageDetector, type TDetectLanguage } from "./language";
export { duplicatePromptWeight, normalizePrompt, promptHash } from "./prompt-hash";
export { assessHardPrompt, isHardPrompt, type THardPromptAssessment } from "./hard-prompt";
