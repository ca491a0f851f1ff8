/**
 * Population simulator: annotators with survey-valid personas, latent preference groups tied to
 * persona attributes, models with per-group strengths, ties and both-bad, position bias and
 * too-fast voters. Pure and seeded.
 *
 *   const population = simulatePopulation(populationPreset("two-groups", { annotators: 300, models: ids }), 7);
 *   population.votes      // sorted by timestamp, each with modality, model ids, outcome, timing
 *   population.truth      // groups, each annotator's group and kind, each vote's probabilities
 *   const file = groundTruthFile("out/votes.jsonl", population.truth); // → out/votes.truth.json
 */
export * from "./attributes";
export * from "./config";
export * from "./personas";
export * from "./population";
export * from "./presets";
export * from "./truth";
export * from "./types";
