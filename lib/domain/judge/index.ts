/**
 * Personalized judge: versioned prompts, output parsing (malformed output = abstention), the
 * offline demo judge, agreement metrics with certainty–coverage curves, and the simulated check.
 */
export * from "./demo-judge";
export * from "./metrics";
export * from "./parse";
export * from "./prompts";
export * from "./simulated-evaluation";
