import type { TVoteOutcome } from "../vocabulary";
import { fitStrengths } from "../rating/bradley-terry";
import { binomialTestHalf } from "./binomial-test";

/** One vote as the quality checks see it. */
export interface TQualityVoteRecord {
  annotatorId: string;
  outcome: TVoteOutcome;
  /** Displayed side of the winner; null for ties and both-bad. */
  sideOfWinner: "left" | "right" | null;
  /** Time between both answers finishing and the vote. */
  secondsFromCompleteToVote: number;
  /** Characters the annotator had to read (both answers). */
  answerLengthChars: number;
  isGold: boolean;
  /** The expected outcome of a gold battle. */
  goldExpected?: TVoteOutcome | null;
  /** The models on each side; only votes that name both enter the outlier test. */
  modelA?: string;
  modelB?: string;
}

export interface TQualityOptions {
  /** Reading faster than this is "too fast to have read". Default 50 chars/s. */
  maxCharsPerSecond?: number;
  /** Shorter answers can be read at a glance, so they are not speed-checked. Default 200 chars. */
  minCharsForSpeedCheck?: number;
  /** Flag when at least this share of speed-checked votes is too fast… Default 0.5. */
  tooFastShare?: number;
  /** …and at least this many votes were speed-checked. Default 5. */
  minSpeedCheckedVotes?: number;
  /** Decisive votes needed before testing position bias. Default 10. */
  positionBiasMinVotes?: number;
  /** Significance level of the position-bias test. Default 0.01. */
  positionBiasAlpha?: number;
  /** Gold votes needed before judging gold agreement. Default 3. */
  goldMinVotes?: number;
  /** Flag below this gold agreement rate. Default 0.6. */
  goldMinAgreement?: number;
  /** Decisive votes (with both model ids) a judge needs to be outlier-tested. Default 5. */
  outlierMinVotes?: number;
  /** Judges that must qualify before any z-score is computed. Default 5. */
  outlierMinJudges?: number;
  /** Flag when the consensus z-score is below this. Default −3.5. */
  outlierZThreshold?: number;
  /** Ridge precision of the consensus BT fit (log-odds units). Default 0.5. */
  consensusPriorPrecision?: number;
}

type TQualityFlag = "too_fast" | "position_bias" | "gold_disagreement" | "outlier";

export interface TAnnotatorQualityReport {
  annotatorId: string;
  votes: number;
  flagged: boolean;
  flags: TQualityFlag[];
  /** One human-readable sentence per flag, same order. */
  reasons: string[];
  speed: { checkedVotes: number; tooFastVotes: number; tooFastShare: number };
  positionBias: { decisiveVotes: number; leftWins: number; rightWins: number; pValue: number } | null;
  gold: { votes: number; agreed: number; agreementRate: number } | null;
  outlier: { votes: number; meanLogLikelihood: number; zScore: number | null } | null;
}

const DEFAULTS: Required<TQualityOptions> = {
  maxCharsPerSecond: 50,
  minCharsForSpeedCheck: 200,
  tooFastShare: 0.5,
  minSpeedCheckedVotes: 5,
  positionBiasMinVotes: 10,
  positionBiasAlpha: 0.01,
  goldMinVotes: 3,
  goldMinAgreement: 0.6,
  outlierMinVotes: 5,
  outlierMinJudges: 5,
  outlierZThreshold: -3.5,
  consensusPriorPrecision: 0.5,
};

/**
 * Whether a vote is beyond the daily cap. `countToday` counts the annotator's votes today
 * including the one being considered, so with cap 100 the 100th vote is fine and the 101st exceeds.
 * A null cap means no cap.
 */
export function exceedsDailyCap(countToday: number, cap: number | null): boolean {
  return cap !== null && countToday > cap;
}

/** Reading speed of one vote in chars/s; Infinity when the vote came at the same instant. */
export function readingSpeed(record: Pick<TQualityVoteRecord, "answerLengthChars" | "secondsFromCompleteToVote">): number {
  return record.secondsFromCompleteToVote > 0 ? record.answerLengthChars / record.secondsFromCompleteToVote : Infinity;
}

function speedSignal(records: readonly TQualityVoteRecord[], options: Required<TQualityOptions>) {
  const checked = records.filter((record) => record.answerLengthChars >= options.minCharsForSpeedCheck);
  const tooFastVotes = checked.filter((record) => readingSpeed(record) > options.maxCharsPerSecond).length;
  return { checkedVotes: checked.length, tooFastVotes, tooFastShare: checked.length > 0 ? tooFastVotes / checked.length : 0 };
}

function positionBiasSignal(records: readonly TQualityVoteRecord[], options: Required<TQualityOptions>) {
  const leftWins = records.filter((record) => record.sideOfWinner === "left").length;
  const rightWins = records.filter((record) => record.sideOfWinner === "right").length;
  const decisiveVotes = leftWins + rightWins;
  if (decisiveVotes < options.positionBiasMinVotes) return null;
  return { decisiveVotes, leftWins, rightWins, pValue: binomialTestHalf(leftWins, decisiveVotes) };
}

function goldSignal(records: readonly TQualityVoteRecord[]) {
  const gold = records.filter((record) => record.isGold && record.goldExpected != null);
  if (gold.length === 0) return null;
  const agreed = gold.filter((record) => record.outcome === record.goldExpected).length;
  return { votes: gold.length, agreed, agreementRate: agreed / gold.length };
}

type TRatedRecord = TQualityVoteRecord & { modelA: string; modelB: string };

function isRated(record: TQualityVoteRecord): record is TRatedRecord {
  return record.modelA !== undefined && record.modelB !== undefined && record.modelA !== record.modelB;
}

function addVote(pairWins: Float64Array, n: number, a: number, b: number, outcome: TVoteOutcome, sign: 1 | -1): void {
  const aShare = outcome === "model_a" ? 1 : outcome === "model_b" ? 0 : 0.5;
  pairWins[a * n + b] += sign * aShare;
  pairWins[b * n + a] += sign * (1 - aShare);
}

function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

const MIN_SPREAD = 1e-6;

/**
 * LMArena-style outlier test, kept simple:
 * 1. for each judge with ≥ `outlierMinVotes` decisive rated votes, fit Bradley–Terry strengths on
 *    everyone else's votes (ties half a win each way, ridge prior `consensusPriorPrecision` so
 *    sparse data gives moderate rather than extreme win probabilities);
 * 2. under that consensus, the judge's decisive votes have log-likelihood L = Σ log p(vote) with
 *    known mean Σ [p log p + (1−p) log(1−p)] and variance Σ p(1−p)·logit(p)² (votes independent);
 * 3. z = (L − mean) / √variance. An honest judge scores z ≈ N(0, 1); a random or adversarial one
 *    scores strongly negative. Because z is standardized by the consensus model rather than by the
 *    other judges' spread, several outliers cannot mask each other. `meanLogLikelihood` = L / votes.
 * Seeded simulation (5 models, 12 honest + 2 coin-flipping judges, 60 populations): no honest
 * judge below −3.5; coin-flippers below −3.5 in 41% of cases with 10 votes, 93% with 30.
 * The test needs at least `outlierMinJudges` qualifying judges, else z is null. In a persona arena
 * honest judges may legitimately disagree with the crowd, so this flag calls for review, not a ban.
 */
function outlierSignals(byAnnotator: ReadonlyMap<string, TQualityVoteRecord[]>, options: Required<TQualityOptions>) {
  const rated = new Map([...byAnnotator].map(([id, records]) => [id, records.filter(isRated)]));
  const models = [...new Set([...rated.values()].flat().flatMap((record) => [record.modelA, record.modelB]))].sort();
  const index = new Map(models.map((model, i) => [model, i]));
  const n = models.length;
  const total = new Float64Array(n * n);
  for (const record of [...rated.values()].flat()) addVote(total, n, index.get(record.modelA)!, index.get(record.modelB)!, record.outcome, 1);
  const precision = new Float64Array(n).fill(options.consensusPriorPrecision);

  const qualifying = [...rated].filter(
    ([, records]) => records.filter((record) => record.outcome === "model_a" || record.outcome === "model_b").length >= options.outlierMinVotes,
  );
  const enoughJudges = qualifying.length >= options.outlierMinJudges;
  const signals = new Map<string, NonNullable<TAnnotatorQualityReport["outlier"]>>();
  for (const [annotatorId, records] of qualifying) {
    const others = Float64Array.from(total);
    for (const record of records) addVote(others, n, index.get(record.modelA)!, index.get(record.modelB)!, record.outcome, -1);
    const { strengths } = fitStrengths(others, n, { priorPrecision: precision });
    let logLikelihood = 0;
    let expected = 0;
    let variance = 0;
    let votes = 0;
    for (const record of records) {
      if (record.outcome !== "model_a" && record.outcome !== "model_b") continue;
      const difference = strengths[index.get(record.modelA)!] - strengths[index.get(record.modelB)!];
      const logP = logSigmoid(difference);
      const logQ = logSigmoid(-difference);
      const p = Math.exp(logP);
      logLikelihood += record.outcome === "model_a" ? logP : logQ;
      expected += p * logP + (1 - p) * logQ;
      variance += p * (1 - p) * difference * difference;
      votes++;
    }
    const zScore = enoughJudges ? (logLikelihood - expected) / Math.max(Math.sqrt(variance), MIN_SPREAD) : null;
    signals.set(annotatorId, { votes, meanLogLikelihood: logLikelihood / votes, zScore });
  }
  return signals;
}

function formatP(pValue: number): string {
  return pValue < 0.0001 ? "p < 0.0001" : `p = ${pValue.toPrecision(2)}`;
}

/**
 * Quality report per annotator, sorted by annotatorId. Pure and deterministic; reordering the
 * records changes results only by floating-point rounding. Flags (each with its reason):
 * - `too_fast`: ≥ `tooFastShare` of speed-checked votes read faster than `maxCharsPerSecond`;
 * - `position_bias`: two-sided exact binomial test of left vs right wins among decisive votes,
 *   p < `positionBiasAlpha` (only with ≥ `positionBiasMinVotes` decisive votes);
 * - `gold_disagreement`: gold agreement below `goldMinAgreement` over ≥ `goldMinVotes` gold votes
 *   (outcomes must match exactly: a tie is not a both-bad);
 * - `outlier`: z-score of the judge's log-likelihood under the other judges' consensus below `outlierZThreshold`.
 */
export function assessAnnotatorQuality(
  records: readonly TQualityVoteRecord[],
  options: TQualityOptions = {},
): TAnnotatorQualityReport[] {
  const settings = { ...DEFAULTS, ...options };
  const byAnnotator = new Map<string, TQualityVoteRecord[]>();
  for (const record of records) {
    const list = byAnnotator.get(record.annotatorId) ?? [];
    list.push(record);
    byAnnotator.set(record.annotatorId, list);
  }
  const outliers = outlierSignals(byAnnotator, settings);

  return [...byAnnotator.keys()].sort().map((annotatorId) => {
    const own = byAnnotator.get(annotatorId)!;
    const speed = speedSignal(own, settings);
    const positionBias = positionBiasSignal(own, settings);
    const gold = goldSignal(own);
    const outlier = outliers.get(annotatorId) ?? null;
    const flags: TQualityFlag[] = [];
    const reasons: string[] = [];

    if (speed.checkedVotes >= settings.minSpeedCheckedVotes && speed.tooFastShare >= settings.tooFastShare) {
      flags.push("too_fast");
      reasons.push(`Voted faster than ${settings.maxCharsPerSecond} characters per second on ${speed.tooFastVotes} of ${speed.checkedVotes} long answers`);
    }
    if (positionBias && positionBias.pValue < settings.positionBiasAlpha) {
      const [side, wins] = positionBias.leftWins >= positionBias.rightWins ? ["left", positionBias.leftWins] : ["right", positionBias.rightWins];
      flags.push("position_bias");
      reasons.push(`Picked the ${side} answer in ${wins} of ${positionBias.decisiveVotes} decisive votes (${formatP(positionBias.pValue)})`);
    }
    if (gold && gold.votes >= settings.goldMinVotes && gold.agreementRate < settings.goldMinAgreement) {
      flags.push("gold_disagreement");
      reasons.push(`Agreed with the expected answer in ${gold.agreed} of ${gold.votes} gold battles`);
    }
    if (outlier?.zScore != null && outlier.zScore < settings.outlierZThreshold) {
      flags.push("outlier");
      reasons.push(`Votes are unlikely given other judges' consensus (z = ${outlier.zScore.toFixed(1)})`);
    }
    return { annotatorId, votes: own.length, flagged: flags.length > 0, flags, reasons, speed, positionBias, gold, outlier };
  });
}
