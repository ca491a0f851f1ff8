import { Dictionary } from "../dictionary";
import { OUTCOME_CODES } from "../rating/types";

/**
 * Cell tables of the leaderboard aggregates (./aggregate.ts), and the partial cells a read-ahead
 * thread counts. Imports nothing that parses personas (no zod): the threads load this module.
 */

/** Dense (modelA, modelB, outcome) counts that grow when a new model appears. */
export class GrowingCells {
  counts: Float64Array;
  total = 0;
  constructor(private capacity: number) {
    this.counts = new Float64Array(capacity * capacity * OUTCOME_CODES);
  }
  /** Counts one vote at `cell` = (a · capacity + b) · OUTCOME_CODES + outcome of the current capacity. */
  addAt(cell: number): void {
    this.counts[cell] += 1;
    this.total += 1;
  }
  /** Adds `counts` laid out for `modelCount` models (cell k of them is cell cellOf[k] of the current capacity here). */
  addCounts(counts: Float64Array, cellOf: Uint32Array): void {
    const target = this.counts;
    let added = 0;
    for (let k = 0; k < counts.length; k++) {
      const count = counts[k];
      if (count === 0) continue;
      target[cellOf[k]] += count;
      added += count;
    }
    this.total += added;
  }
  /** The counts laid out for `modelCount` models (a copy). */
  trimmed(modelCount: number): Float64Array {
    const target = new Float64Array(modelCount * modelCount * OUTCOME_CODES);
    this.addInto(target, modelCount);
    return target;
  }
  /** Adds these counts into `target` laid out for `modelCount` models. */
  addInto(target: Float64Array, modelCount: number): void {
    const size = Math.min(this.capacity, modelCount);
    for (let a = 0; a < size; a++) {
      for (let b = 0; b < size; b++) {
        for (let o = 0; o < OUTCOME_CODES; o++) {
          target[(a * modelCount + b) * OUTCOME_CODES + o] += this.counts[(a * this.capacity + b) * OUTCOME_CODES + o];
        }
      }
    }
  }
  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    const previous = this.counts;
    const previousCapacity = this.capacity;
    this.capacity = capacity;
    this.counts = new Float64Array(capacity * capacity * OUTCOME_CODES);
    for (let a = 0; a < previousCapacity; a++) {
      for (let b = 0; b < previousCapacity; b++) {
        for (let o = 0; o < OUTCOME_CODES; o++) {
          this.counts[(a * capacity + b) * OUTCOME_CODES + o] = previous[(a * previousCapacity + b) * OUTCOME_CODES + o];
        }
      }
    }
  }
}

/**
 * The votes of one persona class, each packed as (modelA · 2^15 + modelB) · 4 + outcome: 4 bytes a
 * vote instead of a dense table per class (thousands of classes × models² × 3 doubles), and
 * independent of the tables' capacity. Invariant: models < 2^15.
 */
export class PackedVotes {
  values = new Uint32Array(16);
  length = 0;
  push(packed: number): void {
    if (this.length === this.values.length) this.reserve(1);
    this.values[this.length++] = packed;
  }
  /** Room for `more` votes after the current ones. */
  reserve(more: number): void {
    let capacity = this.values.length;
    while (capacity < this.length + more) capacity *= 2;
    if (capacity === this.values.length) return;
    const wider = new Uint32Array(capacity);
    wider.set(this.values.subarray(0, this.length));
    this.values = wider;
  }
  /** Appends `votes` packed with other model numbers, `modelIndex[k]` being model k's number here (translates them in place). */
  appendTranslated(votes: Uint32Array, modelIndex: Uint32Array): void {
    for (let k = 0; k < votes.length; k++) {
      const vote = votes[k];
      const pair = vote >>> 2;
      votes[k] = (modelIndex[pair >>> 15] * MAX_PACKED_MODELS + modelIndex[pair & 0x7fff]) * 4 + (vote & 3);
    }
    this.reserve(votes.length);
    this.values.set(votes, this.length);
    this.length += votes.length;
  }
  /** The votes (a copy). */
  packed(): Uint32Array {
    return this.values.slice(0, this.length);
  }
  /** Adds the votes into `target` laid out for `modelCount` models. */
  addInto(target: Float64Array, modelCount: number): void {
    for (let k = 0; k < this.length; k++) {
      const packed = this.values[k];
      const pair = packed >>> 2;
      target[((pair >>> 15) * modelCount + (pair & 0x7fff)) * OUTCOME_CODES + (packed & 3)] += 1;
    }
  }
}

export const MAX_PACKED_MODELS = 1 << 15;

/**
 * The cells of some of a modality's votes in numberings of their own (a read-ahead thread's): the
 * global cells, per single persona condition (its segmentKey) and per day its cells, per persona
 * class its votes packed as in PackedVotes; cells laid out for `models.length` models.
 * Structured-cloneable; ModalityAggregate.mergePartialInSteps adds them.
 */
export interface TPartialCells {
  models: string[];
  global: Float64Array;
  conditions: { condition: string; cells: Float64Array }[];
  classes: { personaClass: string; votes: Uint32Array }[];
  days: { day: string; cells: Float64Array }[];
}

/**
 * Builds TPartialCells from votes in any order (integer counts: the order changes nothing), in the
 * caller's numbering of models, persona classes and days: the cells' part of
 * ModalityAggregate.addIndexedVote, done where the votes are parsed, without Elo (which needs every
 * vote in time order). A class is defined (its single-condition keys) before its first vote.
 */
export class PartialCells {
  private capacity = 8;
  private readonly global = new GrowingCells(8);
  private readonly classVotes: (PackedVotes | undefined)[] = [];
  /** Per class index: the cells of its conditions. */
  private readonly classConditions: GrowingCells[][] = [];
  private readonly conditions = new Dictionary();
  private readonly byCondition: GrowingCells[] = [];
  private readonly dayCells: (GrowingCells | undefined)[] = [];

  /** Class `personaClass` holds these conditions (segmentKey of each). */
  defineClass(personaClass: number, conditions: readonly string[]): void {
    this.classConditions[personaClass] = conditions.map((condition) => {
      const index = this.conditions.index(condition);
      return (this.byCondition[index] ??= new GrowingCells(this.capacity));
    });
  }

  /** Counts one vote; `models` is the number of models numbered so far (more than a and b). */
  add(a: number, b: number, code: number, personaClass: number, day: number, models: number): void {
    if (models > this.capacity) this.grow(models);
    const cell = (a * this.capacity + b) * OUTCOME_CODES + code;
    this.global.addAt(cell);
    let votes = this.classVotes[personaClass];
    if (!votes) this.classVotes[personaClass] = votes = new PackedVotes();
    votes.push((a * MAX_PACKED_MODELS + b) * 4 + code);
    const conditionCells = this.classConditions[personaClass];
    for (let k = 0; k < conditionCells.length; k++) conditionCells[k].addAt(cell);
    let dayCells = this.dayCells[day];
    if (!dayCells) this.dayCells[day] = dayCells = new GrowingCells(this.capacity);
    dayCells.addAt(cell);
  }

  private grow(models: number): void {
    while (this.capacity < models) this.capacity *= 2;
    if (this.capacity > MAX_PACKED_MODELS) throw new Error(`an aggregate holds at most ${MAX_PACKED_MODELS} models`);
    for (const cells of [this.global, ...this.byCondition, ...this.dayCells]) cells?.grow(this.capacity);
  }

  /** The cells, named by the caller's numbering (`models[k]` is model k, and so on). */
  toPartial(models: string[], personaClasses: readonly string[], days: readonly string[]): TPartialCells {
    const classes: TPartialCells["classes"] = [];
    this.classVotes.forEach((votes, index) => {
      if (votes) classes.push({ personaClass: personaClasses[index], votes: votes.packed() });
    });
    const dayList: TPartialCells["days"] = [];
    this.dayCells.forEach((cells, index) => {
      if (cells) dayList.push({ day: days[index], cells: cells.trimmed(models.length) });
    });
    const conditions = this.conditions.values.map((condition, index) => ({ condition, cells: this.byCondition[index].trimmed(models.length) }));
    return { models, global: this.global.trimmed(models.length), conditions, classes, days: dayList };
  }
}
