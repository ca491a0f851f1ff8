/**
 * Preference groups: a mixture Bradley–Terry model of annotators (EM, seeded), a persona gate
 * (which group a persona probably belongs to), K chosen on whole held-out annotators, the
 * baselines it must beat, and the held-out evaluation protocol used by the benchmark.
 */
export * from "./agreement";
export * from "./baselines";
export * from "./held-out";
export * from "./mixture";
export * from "./model";
export * from "./persona-gate";
export * from "./select-k";
export * from "./vote-data";
export * from "./describe";
