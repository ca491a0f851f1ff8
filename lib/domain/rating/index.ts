/** Public surface of the rating engine. */
export * from "./types";
export { BattleLogBuilder, battleLogFromBattles, orderBattleLogByTimestamp, outcomeCode, sortBattlesByTimestamp } from "./battle-log";
export { aggregateBattleCells, connectedGroups, pairWinMatrix, reindexCells, tallyModels } from "./cells";
export { sampleBinomial, sampleMultinomial } from "./binomial";
export {
  fitBradleyTerry,
  fitStrengths,
  predictedWinProbability,
  RatingInputError,
  strengthsToRatings,
  type BradleyTerryFit,
} from "./bradley-terry";
export { computeOnlineElo, computeOnlineEloRatings, type OnlineEloOptions } from "./elo";
export {
  bootstrapRatingIntervals,
  bootstrapRatingIntervalsInSteps,
  bootstrapRoundSamples,
  quantileOfSorted,
  rankUpperBounds,
  runSteps,
  type BootstrapIntervals,
  type BootstrapJob,
  type BootstrapRoundHelper,
} from "./bootstrap";
export {
  computeLeaderboard,
  computeLeaderboardInSteps,
  DEFAULT_BOOTSTRAP_ROUNDS,
  DEFAULT_MIN_VOTES,
  type Leaderboard,
  type LeaderboardEntry,
  type LeaderboardOptions,
  type TIntervalMethod,
} from "./leaderboard";
export { DEFAULT_PRIOR_SD_POINTS, hasWinAndLoss, posteriorHalfWidths, priorPrecision } from "./prior";
export {
  bootstrapStyleControlInSteps,
  computeStyleControlledRatings,
  countMarkdownStyle,
  FASTCHAT_STYLE_CONTROL,
  STYLE_FEATURES,
  type StyleBootstrap,
  type StyleControlResult,
  type StyledBattle,
  type StyleCounts,
} from "./style-control";
export { computeSegmentRatings, DEFAULT_SHRINK_STRENGTHS, ownEvidenceWeights, shrinkTowardGlobal, type ShrunkRatings } from "./segments";
export { BattleDumpReader, BattleDumpSyntaxError, InvalidBattleRecordError, type BattleDumpStats } from "./battle-dump";
