/** Public surface of the rating engine: what the app and scripts use (modules import each other directly). */
export * from "./types";
export { computeOnlineElo } from "./elo";
export { rankUpperBounds } from "./bootstrap";
export { computeLeaderboard, type Leaderboard, type LeaderboardEntry } from "./leaderboard";
export { DEFAULT_PRIOR_SD_POINTS, priorPrecision } from "./prior";
export { bootstrapStyleControlInSteps, computeStyleControlledRatings, countMarkdownStyle, type StyledBattle, type StyleCounts } from "./style-control";
export { ownEvidenceWeights, shrinkTowardGlobal } from "./segments";
