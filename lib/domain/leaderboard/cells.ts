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

const MAX_PACKED_MODELS = 1 << 15;

/**
 * The cells of some of a modality's votes in numberings of their own (a read-ahead thread's): the
 * global cells, per single persona condition (its segmentKey) and per day its cells, per persona
 * class its votes packed as in PackedVotes; cells laid out for `models.length` models.
 * Structured-cloneable; VoteCells.mergeInSteps adds them (ModalityAggregate.mergePartialInSteps).
 */
export interface TPartialCells {
  models: string[];
  global: Float64Array;
  conditions: { condition: string; cells: Float64Array }[];
  classes: { personaClass: string; votes: Uint32Array }[];
  days: { day: string; cells: Float64Array }[];
}

/**
 * Counted cells of votes in any order (integer counts: the order changes nothing): the global cells,
 * per persona class its votes packed as in PackedVotes, per single persona condition and per day their
 * cells, in the owner's numbering of models, persona classes and days. ModalityAggregate keeps its
 * cells in one (and takes Elo's steps itself, in time order); a read-ahead thread counts its windows'
 * votes in one of its own numbering and sends them as TPartialCells (toPartial), which
 * mergeInSteps adds. A class's conditions (segmentKey of each) are given by defineClass before its
 * first vote, or asked of `conditionsOf` at its first vote.
 */
export class VoteCells {
  private capacity = 8;
  private readonly global = new GrowingCells(8);
  private readonly classVotes: (PackedVotes | undefined)[] = [];
  /** Per class index: the cells of its conditions. */
  private readonly classConditions: GrowingCells[][] = [];
  private readonly conditions = new Dictionary();
  private readonly byCondition: GrowingCells[] = [];
  private readonly dayCells: (GrowingCells | undefined)[] = [];

  constructor(private readonly conditionsOf?: (personaClass: number) => readonly string[]) {}

  get total(): number {
    return this.global.total;
  }

  /** Class `personaClass` holds these conditions (segmentKey of each). */
  defineClass(personaClass: number, conditions: readonly string[]): GrowingCells[] {
    return (this.classConditions[personaClass] = conditions.map((condition) => this.cellsOfCondition(this.conditions.index(condition))));
  }

  private cellsOfCondition(index: number): GrowingCells {
    return (this.byCondition[index] ??= new GrowingCells(this.capacity));
  }

  private cellsOfDay(day: number): GrowingCells {
    return (this.dayCells[day] ??= new GrowingCells(this.capacity));
  }

  private conditionCellsOf(personaClass: number): GrowingCells[] {
    const defined = this.classConditions[personaClass];
    if (defined) return defined;
    if (!this.conditionsOf) throw new Error(`persona class ${personaClass} counted before it was defined`);
    return this.defineClass(personaClass, this.conditionsOf(personaClass));
  }

  /** Counts one vote; `models` is the number of models numbered so far (more than a and b). */
  add(a: number, b: number, code: number, personaClass: number, day: number, models: number): void {
    if (models > this.capacity) this.grow(models);
    const cell = (a * this.capacity + b) * OUTCOME_CODES + code;
    this.global.addAt(cell);
    let votes = this.classVotes[personaClass];
    if (!votes) this.classVotes[personaClass] = votes = new PackedVotes();
    votes.push((a * MAX_PACKED_MODELS + b) * 4 + code);
    const conditionCells = this.conditionCellsOf(personaClass);
    for (let k = 0; k < conditionCells.length; k++) conditionCells[k].addAt(cell);
    this.cellsOfDay(day).addAt(cell);
  }

  /** Room for `models` models in every table at once, so counting a vote is plain increments. */
  grow(models: number): void {
    if (models <= this.capacity) return;
    while (this.capacity < models) this.capacity *= 2;
    if (this.capacity > MAX_PACKED_MODELS) throw new Error(`an aggregate holds at most ${MAX_PACKED_MODELS} models`);
    for (const cells of [this.global, ...this.byCondition, ...this.dayCells]) cells?.grow(this.capacity);
  }

  /**
   * Adds `partial`'s cells, a persona class's votes at a time between pauses, as if each of its votes
   * had been counted by add: `modelIndex[k]` is its model k here (`models` numbered here in all),
   * `classIndex` and `dayIndex` number its classes and days here. The partial is consumed (its packed
   * votes are renumbered in place).
   */
  *mergeInSteps(partial: TPartialCells, modelIndex: Uint32Array, models: number, classIndex: (personaClass: string) => number, dayIndex: (day: string) => number): Generator<void, void> {
    this.grow(models);
    const capacity = this.capacity;
    const local = partial.models.length;
    const cellOf = new Uint32Array(local * local * OUTCOME_CODES);
    for (let a = 0; a < local; a++) {
      for (let b = 0; b < local; b++) {
        for (let o = 0; o < OUTCOME_CODES; o++) cellOf[(a * local + b) * OUTCOME_CODES + o] = (modelIndex[a] * capacity + modelIndex[b]) * OUTCOME_CODES + o;
      }
    }
    this.global.addCounts(partial.global, cellOf);
    for (const { condition, cells } of partial.conditions) this.cellsOfCondition(this.conditions.index(condition)).addCounts(cells, cellOf);
    for (const { personaClass, votes } of partial.classes) {
      const index = classIndex(personaClass);
      let packed = this.classVotes[index];
      if (!packed) this.classVotes[index] = packed = new PackedVotes();
      packed.appendTranslated(votes, modelIndex);
      yield;
    }
    for (const { day, cells } of partial.days) this.cellsOfDay(dayIndex(day)).addCounts(cells, cellOf);
  }

  /** All votes' cells. */
  globalCells(): GrowingCells {
    return this.global;
  }

  /** The cells of a single condition (its segmentKey; empty when no vote held it). */
  conditionCells(condition: string): GrowingCells {
    return this.cellsOfCondition(this.conditions.index(condition));
  }

  /** Each class with votes: its index and packed votes. */
  *classes(): Generator<{ personaClass: number; votes: PackedVotes }> {
    for (let index = 0; index < this.classVotes.length; index++) {
      const votes = this.classVotes[index];
      if (votes) yield { personaClass: index, votes };
    }
  }

  /** Each day with votes: its index and cells. */
  *days(): Generator<{ day: number; cells: GrowingCells }> {
    for (let index = 0; index < this.dayCells.length; index++) {
      const cells = this.dayCells[index];
      if (cells) yield { day: index, cells };
    }
  }

  /** The cells, named by the caller's numbering (`models[k]` is model k, and so on). */
  toPartial(models: string[], personaClasses: readonly string[], days: readonly string[]): TPartialCells {
    const classes = [...this.classes()].map(({ personaClass, votes }) => ({ personaClass: personaClasses[personaClass], votes: votes.packed() }));
    const dayList = [...this.days()].map(({ day, cells }) => ({ day: days[day], cells: cells.trimmed(models.length) }));
    const conditions = this.conditions.values.map((condition, index) => ({ condition, cells: this.byCondition[index].trimmed(models.length) }));
    return { models, global: this.global.trimmed(models.length), conditions, classes, days: dayList };
  }
}
