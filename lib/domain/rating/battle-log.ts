import { Dictionary } from "../dictionary";
import {
  OUTCOME_A_WINS,
  OUTCOME_B_WINS,
  OUTCOME_TIE,
  type Battle,
  type BattleLog,
  type Outcome,
} from "./types";

/** Maps an outcome to its typed-array code; `tie` and `both_bad` share OUTCOME_TIE. */
export function outcomeCode(outcome: Outcome): number {
  switch (outcome) {
    case "model_a":
      return OUTCOME_A_WINS;
    case "model_b":
      return OUTCOME_B_WINS;
    case "tie":
    case "both_bad":
      return OUTCOME_TIE;
  }
}

/** A builder's battles in insertion order with their timestamps (null unless every battle had one). */
export interface BattleLogPart extends BattleLog {
  timestamps: Float64Array | null;
}

/**
 * Accumulates battles into a BattleLog, growing typed arrays by doubling so that appending
 * 10M battles costs amortised O(1) each. Model names get indices in first-seen order.
 */
export class BattleLogBuilder {
  private readonly modelNames = new Dictionary();
  private modelA = new Uint32Array(1024);
  private modelB = new Uint32Array(1024);
  private outcome = new Uint8Array(1024);
  private timestamps: Float64Array | null = new Float64Array(1024);
  length = 0;

  /** Index of `model`, registering it on first sight. */
  modelIndex(model: string): number {
    return this.modelNames.index(model);
  }

  /**
   * Appends one battle by indices. Timestamps are kept only while every battle so far had one:
   * a single missing timestamp makes the log keep its insertion order.
   */
  push(modelA: number, modelB: number, outcome: number, timestamp: number | undefined): void {
    if (this.length === this.outcome.length) this.grow();
    const k = this.length++;
    this.modelA[k] = modelA;
    this.modelB[k] = modelB;
    this.outcome[k] = outcome;
    if (this.timestamps) {
      if (timestamp === undefined) this.timestamps = null;
      else this.timestamps[k] = timestamp;
    }
  }

  pushBattle(battle: Battle): void {
    this.push(
      this.modelIndex(battle.modelA),
      this.modelIndex(battle.modelB),
      outcomeCode(battle.outcome),
      battle.timestamp,
    );
  }

  /** The log in insertion order. */
  build(): BattleLog {
    return {
      models: this.modelNames.values.slice(),
      length: this.length,
      modelA: this.modelA.subarray(0, this.length),
      modelB: this.modelB.subarray(0, this.length),
      outcome: this.outcome.subarray(0, this.length),
    };
  }

  /** The battles so far with their timestamps, for another builder's `append`. */
  part(): BattleLogPart {
    return { ...this.build(), timestamps: this.timestamps ? this.timestamps.subarray(0, this.length) : null };
  }

  /** Room for `battles` in all without growing again (appending many parts: no doubling of the whole log, and no copy of it). */
  reserve(battles: number): void {
    if (battles > this.outcome.length) this.grow(battles);
  }

  /**
   * Appends another builder's battles as if they had been pushed here one by one: its models get
   * this builder's indices (new ones in its first-seen order), a missing timestamp drops the timestamps.
   */
  append(part: BattleLogPart): void {
    const index = Uint32Array.from(part.models, (model) => this.modelIndex(model));
    const needed = this.length + part.length;
    if (needed > this.outcome.length) this.grow(Math.max(needed, this.outcome.length * 2));
    const at = this.length;
    for (let k = 0; k < part.length; k++) {
      this.modelA[at + k] = index[part.modelA[k]];
      this.modelB[at + k] = index[part.modelB[k]];
    }
    this.outcome.set(part.outcome.subarray(0, part.length), at);
    if (this.timestamps) {
      if (part.timestamps) this.timestamps.set(part.timestamps.subarray(0, part.length), at);
      else if (part.length > 0) this.timestamps = null;
    }
    this.length = needed;
  }

  /** The log sorted stably by timestamp when every battle had one, else in insertion order. */
  buildInTimeOrder(): BattleLog {
    const log = this.build();
    return this.timestamps ? orderBattleLogByTimestamp(log, this.timestamps.subarray(0, this.length)) : log;
  }

  private grow(capacity = this.outcome.length * 2): void {
    this.modelA = copyInto(new Uint32Array(capacity), this.modelA);
    this.modelB = copyInto(new Uint32Array(capacity), this.modelB);
    this.outcome = copyInto(new Uint8Array(capacity), this.outcome);
    if (this.timestamps) this.timestamps = copyInto(new Float64Array(capacity), this.timestamps);
  }
}

function copyInto<T extends Uint32Array | Uint8Array | Float64Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}

/** Builds a log from battle objects, keeping their order (the caller decides the order). */
export function battleLogFromBattles(battles: readonly Battle[]): BattleLog {
  const builder = new BattleLogBuilder();
  for (const battle of battles) builder.pushBattle(battle);
  return builder.build();
}

/**
 * Returns the battles sorted by timestamp, stably: equal timestamps keep their given order and
 * battles without a timestamp keep their relative order after all timestamped ones.
 * Does not mutate the input.
 */
export function sortBattlesByTimestamp<T extends Battle>(battles: readonly T[]): T[] {
  return battles
    .map((battle, position) => ({ battle, position }))
    .sort((x, y) => {
      const tx = x.battle.timestamp ?? Number.POSITIVE_INFINITY;
      const ty = y.battle.timestamp ?? Number.POSITIVE_INFINITY;
      return tx < ty ? -1 : tx > ty ? 1 : x.position - y.position;
    })
    .map(({ battle }) => battle);
}

/**
 * Reorders a log stably by `timestamps` (aligned with the log). Returns the same log object
 * when it is already in order, which is the common case for dumps and costs one pass.
 */
function orderBattleLogByTimestamp(log: BattleLog, timestamps: Float64Array): BattleLog {
  let sorted = true;
  for (let k = 1; k < log.length; k++) {
    if (timestamps[k] < timestamps[k - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return log;
  const order = new Uint32Array(log.length);
  for (let k = 0; k < log.length; k++) order[k] = k;
  order.sort((x, y) => timestamps[x] - timestamps[y] || x - y);
  const modelA = new Uint32Array(log.length);
  const modelB = new Uint32Array(log.length);
  const outcome = new Uint8Array(log.length);
  for (let k = 0; k < log.length; k++) {
    const source = order[k];
    modelA[k] = log.modelA[source];
    modelB[k] = log.modelB[source];
    outcome[k] = log.outcome[source];
  }
  return { models: log.models, length: log.length, modelA, modelB, outcome };
}
