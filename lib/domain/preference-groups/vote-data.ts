import type { TVoteOutcome } from "../vocabulary";
import { Dictionary } from "../dictionary";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, OUTCOME_TIE, type BattleCells } from "../rating/types";

/** One vote as the preference-group model sees it; modelA is the left side. */
export interface TPreferenceVote {
  annotatorId: string;
  modelA: string;
  modelB: string;
  outcome: TVoteOutcome;
}

/**
 * Votes grouped by annotator and by unordered model pair, the only shape EM reads.
 * Annotator a's cells are `offsets[a]` … `offsets[a + 1] − 1`; a cell of models i < j holds the
 * integer counts `lowWins` (i won), `highWins` (j won) and `ties` (tie or both-bad), and the pair's
 * positions in an n×n matrix (`lowIndex = i·n + j`, `highIndex = j·n + i`).
 *
 * Invariants: every annotator with at least one vote has at least one cell; within an
 * annotator, pairs are unique; sides are dropped (the mixture model has no position term).
 */
export interface TAnnotatorVoteData {
  models: string[];
  annotators: string[];
  offsets: Int32Array;
  lowIndex: Int32Array;
  highIndex: Int32Array;
  lowWins: Float64Array;
  highWins: Float64Array;
  ties: Float64Array;
  /** Votes per annotator. */
  votes: Float64Array;
}

/**
 * Builds the per-annotator cells. `models` fixes the model order (default: first appearance);
 * votes naming a model outside it, or the same model twice, are skipped.
 */
export function buildAnnotatorVoteData(votes: readonly TPreferenceVote[], options: { models?: readonly string[]; annotators?: readonly string[] } = {}): TAnnotatorVoteData {
  const modelIndex = options.models ? Dictionary.from(options.models) : new Dictionary();
  const fixedModels = options.models ? new Set(options.models) : null;
  const annotatorIndex = options.annotators ? Dictionary.from(options.annotators) : new Dictionary();
  const voteAnnotator = new Int32Array(votes.length).fill(-1);
  const voteLow = new Int32Array(votes.length);
  const voteHigh = new Int32Array(votes.length);
  // 0 = the lower model index won, 1 = the higher one won, 2 = tie or both-bad.
  const voteResult = new Uint8Array(votes.length);
  votes.forEach((vote, v) => {
    if (fixedModels && (!fixedModels.has(vote.modelA) || !fixedModels.has(vote.modelB))) return;
    const a = modelIndex.index(vote.modelA);
    const b = modelIndex.index(vote.modelB);
    if (a === b) return;
    voteAnnotator[v] = annotatorIndex.index(vote.annotatorId);
    voteLow[v] = Math.min(a, b);
    voteHigh[v] = Math.max(a, b);
    const outcome = vote.outcome;
    voteResult[v] = outcome === "tie" || outcome === "both_bad" ? 2 : (outcome === "model_a") === (a < b) ? 0 : 1;
  });
  const n = modelIndex.size;
  const annotatorCount = annotatorIndex.size;
  // Counting sort of the votes by annotator.
  const voteCounts = new Float64Array(annotatorCount);
  for (let v = 0; v < votes.length; v++) if (voteAnnotator[v] >= 0) voteCounts[voteAnnotator[v]]++;
  const voteStart = new Int32Array(annotatorCount + 1);
  for (let a = 0; a < annotatorCount; a++) voteStart[a + 1] = voteStart[a] + voteCounts[a];
  const cursor = voteStart.slice(0, annotatorCount);
  const order = new Int32Array(voteStart[annotatorCount]);
  for (let v = 0; v < votes.length; v++) if (voteAnnotator[v] >= 0) order[cursor[voteAnnotator[v]]++] = v;

  const capacity = order.length;
  const lowIndex = new Int32Array(capacity);
  const lowWins = new Float64Array(capacity);
  const highWins = new Float64Array(capacity);
  const ties = new Float64Array(capacity);
  const offsets = new Int32Array(annotatorCount + 1);
  const cellOfPair = new Int32Array(n * n).fill(-1);
  let cells = 0;
  for (let annotator = 0; annotator < annotatorCount; annotator++) {
    offsets[annotator] = cells;
    for (let k = voteStart[annotator]; k < voteStart[annotator + 1]; k++) {
      const v = order[k];
      const pair = voteLow[v] * n + voteHigh[v];
      let cell = cellOfPair[pair];
      if (cell < 0) {
        cell = cells++;
        cellOfPair[pair] = cell;
        lowIndex[cell] = pair;
      }
      if (voteResult[v] === 0) lowWins[cell]++;
      else if (voteResult[v] === 1) highWins[cell]++;
      else ties[cell]++;
    }
    for (let c = offsets[annotator]; c < cells; c++) cellOfPair[lowIndex[c]] = -1;
  }
  offsets[annotatorCount] = cells;
  const low = lowIndex.slice(0, cells);
  return {
    models: modelIndex.values.slice(),
    annotators: annotatorIndex.values.slice(),
    offsets,
    lowIndex: low,
    highIndex: low.map((index) => (index % n) * n + Math.floor(index / n)),
    lowWins: lowWins.slice(0, cells),
    highWins: highWins.slice(0, cells),
    ties: ties.slice(0, cells),
    votes: voteCounts,
  };
}

/** The data of a subset of annotators (in the given order), sharing the model list. */
export function selectAnnotators(data: TAnnotatorVoteData, indices: readonly number[]): TAnnotatorVoteData {
  let cells = 0;
  for (const a of indices) cells += data.offsets[a + 1] - data.offsets[a];
  const offsets = new Int32Array(indices.length + 1);
  const lowIndex = new Int32Array(cells);
  const highIndex = new Int32Array(cells);
  const lowWins = new Float64Array(cells);
  const highWins = new Float64Array(cells);
  const ties = new Float64Array(cells);
  let cursor = 0;
  indices.forEach((a, k) => {
    offsets[k] = cursor;
    const start = data.offsets[a];
    const end = data.offsets[a + 1];
    lowIndex.set(data.lowIndex.subarray(start, end), cursor);
    highIndex.set(data.highIndex.subarray(start, end), cursor);
    lowWins.set(data.lowWins.subarray(start, end), cursor);
    highWins.set(data.highWins.subarray(start, end), cursor);
    ties.set(data.ties.subarray(start, end), cursor);
    cursor += end - start;
  });
  offsets[indices.length] = cursor;
  return {
    models: data.models,
    annotators: indices.map((a) => data.annotators[a]),
    offsets,
    lowIndex,
    highIndex,
    lowWins,
    highWins,
    ties,
    votes: Float64Array.from(indices, (a) => data.votes[a]),
  };
}

/**
 * Battle cells (the rating engine's shape) of some annotators' votes, weighted per annotator
 * (default 1). The lower model index of each pair is stored as side A.
 */
export function annotatorCells(data: TAnnotatorVoteData, annotators: Iterable<number>, weights?: Float64Array): BattleCells {
  const n = data.models.length;
  const counts = new Float64Array(n * n * OUTCOME_CODES);
  let total = 0;
  for (const a of annotators) {
    const weight = weights ? weights[a] : 1;
    if (weight === 0) continue;
    for (let c = data.offsets[a]; c < data.offsets[a + 1]; c++) {
      const base = data.lowIndex[c] * OUTCOME_CODES;
      counts[base + OUTCOME_A_WINS] += weight * data.lowWins[c];
      counts[base + OUTCOME_B_WINS] += weight * data.highWins[c];
      counts[base + OUTCOME_TIE] += weight * data.ties[c];
    }
    total += weight * data.votes[a];
  }
  return { models: data.models.slice(), counts, total };
}
