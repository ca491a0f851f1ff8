import {
  OUTCOME_A_WINS,
  OUTCOME_B_WINS,
  OUTCOME_CODES,
  OUTCOME_TIE,
  type BattleCells,
  type BattleLog,
} from "./types";

/**
 * Counts battles per (modelA, modelB, outcome) cell in one pass over the typed columns.
 * Invariant: the sum of counts equals log.length, and the result does not depend on battle order.
 */
export function aggregateBattleCells(log: BattleLog): BattleCells {
  const modelCount = log.models.length;
  const counts = new Float64Array(modelCount * modelCount * OUTCOME_CODES);
  const { modelA, modelB, outcome } = log;
  for (let k = 0; k < log.length; k++) {
    counts[(modelA[k] * modelCount + modelB[k]) * OUTCOME_CODES + outcome[k]] += 1;
  }
  return { models: log.models.slice(), counts, total: log.length };
}

/**
 * Effective wins per ordered pair, `wins[i * n + j]` = battles i won against j (as either side)
 * plus half of their ties and both-bad votes. Invariant: wins[ij] + wins[ji] = battles between i and j.
 */
export function pairWinMatrix(counts: Float64Array, modelCount: number, into?: Float64Array): Float64Array {
  const wins = into ?? new Float64Array(modelCount * modelCount);
  wins.fill(0);
  for (let i = 0; i < modelCount; i++) {
    for (let j = 0; j < modelCount; j++) {
      const base = (i * modelCount + j) * OUTCOME_CODES;
      const aWins = counts[base + OUTCOME_A_WINS];
      const bWins = counts[base + OUTCOME_B_WINS];
      const halfTies = counts[base + OUTCOME_TIE] / 2;
      if (aWins === 0 && bWins === 0 && halfTies === 0) continue;
      wins[i * modelCount + j] += aWins + halfTies;
      wins[j * modelCount + i] += bWins + halfTies;
    }
  }
  return wins;
}

/**
 * Connected groups of the "played each other" graph: `group[i]` is the smallest model index of
 * i's component, so groups are numbered deterministically. Models without battles are alone.
 */
export function connectedGroups(pairWins: Float64Array, modelCount: number): Int32Array {
  const parent = new Int32Array(modelCount);
  for (let i = 0; i < modelCount; i++) parent[i] = i;
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let i = 0; i < modelCount; i++) {
    for (let j = i + 1; j < modelCount; j++) {
      if (pairWins[i * modelCount + j] + pairWins[j * modelCount + i] > 0) {
        const ri = root(i);
        const rj = root(j);
        if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
    }
  }
  const group = new Int32Array(modelCount);
  for (let i = 0; i < modelCount; i++) group[i] = root(i);
  return group;
}

/** Per-model tallies from the cells; ties include both-bad votes. */
export interface ModelTally {
  votes: Float64Array;
  wins: Float64Array;
  losses: Float64Array;
  ties: Float64Array;
}

export function tallyModels(cells: BattleCells): ModelTally {
  const modelCount = cells.models.length;
  const wins = new Float64Array(modelCount);
  const losses = new Float64Array(modelCount);
  const ties = new Float64Array(modelCount);
  for (let i = 0; i < modelCount; i++) {
    for (let j = 0; j < modelCount; j++) {
      const base = (i * modelCount + j) * OUTCOME_CODES;
      const aWins = cells.counts[base + OUTCOME_A_WINS];
      const bWins = cells.counts[base + OUTCOME_B_WINS];
      const tied = cells.counts[base + OUTCOME_TIE];
      wins[i] += aWins;
      losses[j] += aWins;
      wins[j] += bWins;
      losses[i] += bWins;
      ties[i] += tied;
      ties[j] += tied;
    }
  }
  const votes = new Float64Array(modelCount);
  for (let i = 0; i < modelCount; i++) votes[i] = wins[i] + losses[i] + ties[i];
  return { votes, wins, losses, ties };
}

/**
 * Re-expresses cells over a new model list (e.g. the global one), adding zero rows for models
 * the cells lack. Throws if the cells contain a model missing from `models`.
 */
export function reindexCells(cells: BattleCells, models: readonly string[]): BattleCells {
  const target = new Map(models.map((model, index) => [model, index]));
  const modelCount = models.length;
  const sourceCount = cells.models.length;
  const mapping = cells.models.map((model) => {
    const index = target.get(model);
    if (index === undefined) throw new Error(`model "${model}" is not in the target model list`);
    return index;
  });
  const counts = new Float64Array(modelCount * modelCount * OUTCOME_CODES);
  for (let i = 0; i < sourceCount; i++) {
    for (let j = 0; j < sourceCount; j++) {
      for (let o = 0; o < OUTCOME_CODES; o++) {
        counts[(mapping[i] * modelCount + mapping[j]) * OUTCOME_CODES + o] +=
          cells.counts[(i * sourceCount + j) * OUTCOME_CODES + o];
      }
    }
  }
  return { models: models.slice(), counts, total: cells.total };
}
