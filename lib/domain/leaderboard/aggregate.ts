import { outcomeCode } from "../rating/battle-log";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, RATING_BASE, RATING_CENTER, RATING_SCALE, type BattleCells, type Outcome } from "../rating/types";
import { Dictionary } from "../dictionary";
import { GrowingCells, MAX_PACKED_MODELS, PackedVotes, type TPartialCells } from "./cells";
import { conditionKeysOf, parseSegmentKey, personaInSegment, segmentKey, type TSegmentCondition } from "./segments";

export { Dictionary };

/** One counted vote as the aggregator needs it (no annotator identity). */
export interface TAggregatedVote {
  modelA: string;
  modelB: string;
  outcome: Outcome;
  /** UTC day "YYYY-MM-DD" of the vote. */
  day: string;
  /** segmentKey of the voter's persona conditions ("" when nothing is known). */
  personaClass: string;
}

const ELO_K = 4;
const LOG_BASE_PER_POINT = Math.log(RATING_BASE) / RATING_SCALE;

/** Votes as index columns (see addIndexedVote): entry k of each column is vote k. */
export interface TIndexedVoteColumns {
  modelA: ArrayLike<number>;
  modelB: ArrayLike<number>;
  outcome: ArrayLike<number>;
  voter: ArrayLike<number>;
  personaClass: ArrayLike<number>;
  day: ArrayLike<number>;
}

/** The numbering of models, persona classes and days an aggregate (and a VoteLog) shares. */
export interface TAggregateDictionaries {
  models: Dictionary;
  personaClasses: Dictionary;
  days: Dictionary;
}

export const createAggregateDictionaries = (): TAggregateDictionaries => ({ models: new Dictionary(), personaClasses: new Dictionary(), days: new Dictionary() });

/**
 * Incremental aggregate of one modality's counted votes, fed in time order: global cells, online
 * Elo (LMArena: K=4, ties half), cells per persona class, per single persona condition and per UTC
 * day. Everything a leaderboard snapshot needs except the fits, so a recomputation after new votes
 * only feeds those votes.
 *
 * Invariants: the global cells' total equals the number of votes fed; the per-class and per-day
 * cells each sum to the global cells; the cells of a condition ("region=Europe") are the sum of
 * the cells of the classes holding it; models keep the index of their first appearance in the
 * dictionaries (which a VoteLog may share, so that models seen only in votes left out still have
 * an index, and zero votes).
 */
export class ModalityAggregate {
  private readonly dictionaries: TAggregateDictionaries;
  private capacity = 8;
  private readonly global = new GrowingCells(8);
  private readonly byClass: (PackedVotes | undefined)[] = [];
  /** Per class index: its conditions, parsed once, their indices in `conditions` and their cells. */
  private readonly classConditions: { held: TSegmentCondition[]; indices: number[]; cells: GrowingCells[] }[] = [];
  private readonly conditions = new Dictionary();
  private readonly byCondition: GrowingCells[] = [];
  private readonly byDay: (GrowingCells | undefined)[] = [];
  private elo = new Float64Array(8).fill(RATING_CENTER);

  constructor(dictionaries: TAggregateDictionaries = createAggregateDictionaries()) {
    this.dictionaries = dictionaries;
  }

  /** Models in index order (first appearance). */
  get models(): readonly string[] {
    return this.dictionaries.models.values;
  }

  get voteCount(): number {
    return this.global.total;
  }

  /** Grows every cell table at once when a model appears, so adding a vote is plain increments. */
  private ensureCapacity(): void {
    const modelCount = this.dictionaries.models.size;
    if (modelCount <= this.capacity) return;
    while (this.capacity < modelCount) this.capacity *= 2;
    const elo = new Float64Array(this.capacity).fill(RATING_CENTER);
    elo.set(this.elo);
    this.elo = elo;
    if (this.capacity > MAX_PACKED_MODELS) throw new Error(`an aggregate holds at most ${MAX_PACKED_MODELS} models`);
    for (const cells of [this.global, ...this.byCondition, ...this.byDay]) cells?.grow(this.capacity);
  }

  private conditionsOfClass(personaClass: number): { held: TSegmentCondition[]; indices: number[]; cells: GrowingCells[] } {
    let parsed = this.classConditions[personaClass];
    if (!parsed) {
      const classKey = this.dictionaries.personaClasses.values[personaClass];
      const held = parseSegmentKey(classKey) ?? [];
      const indices = conditionKeysOf(classKey).map((condition) => this.conditions.index(condition));
      const cells = indices.map((condition) => (this.byCondition[condition] ??= new GrowingCells(this.capacity)));
      parsed = { held, indices, cells };
      this.classConditions[personaClass] = parsed;
    }
    return parsed;
  }

  /** Counts a vote (its cell of the current capacity, and packed) in its persona class and the class's conditions. */
  private addToClass(personaClass: number, cell: number, packed: number): void {
    let votes = this.byClass[personaClass];
    if (!votes) this.byClass[personaClass] = votes = new PackedVotes();
    votes.push(packed);
    const conditionCells = this.conditionsOfClass(personaClass).cells;
    for (let k = 0; k < conditionCells.length; k++) conditionCells[k].addAt(cell);
  }

  addVote(vote: TAggregatedVote): void {
    const { models, personaClasses, days } = this.dictionaries;
    this.addIndexedVote(models.index(vote.modelA), models.index(vote.modelB), outcomeCode(vote.outcome), personaClasses.index(vote.personaClass), days.index(vote.day));
  }

  /**
   * Fast path of addVote for indices of the shared dictionaries (outcome: OUTCOME_* code). The
   * caller guarantees a !== b and that every index exists in the dictionaries.
   */
  addIndexedVote(a: number, b: number, code: number, personaClass: number, day: number): void {
    if (a >= this.capacity || b >= this.capacity) this.ensureCapacity();
    const capacity = this.capacity;
    const cell = (a * capacity + b) * OUTCOME_CODES + code;
    this.global.addAt(cell);
    this.addToClass(personaClass, cell, (a * MAX_PACKED_MODELS + b) * 4 + code);
    let dayCells = this.byDay[day];
    if (!dayCells) this.byDay[day] = dayCells = new GrowingCells(capacity);
    dayCells.addAt(cell);
    this.addElo(a, b, code);
  }

  /**
   * Online Elo's step for one vote, and nothing else: the ordered part of a vote, for votes whose
   * cells come in a partial (mergePartialInSteps). Same caller guarantees as addIndexedVote.
   */
  addElo(a: number, b: number, code: number): void {
    if (a >= this.capacity || b >= this.capacity) this.ensureCapacity();
    const elo = this.elo;
    const expectedA = 1 / (1 + Math.exp((elo[b] - elo[a]) * LOG_BASE_PER_POINT));
    const change = ELO_K * ((code === OUTCOME_A_WINS ? 1 : code === OUTCOME_B_WINS ? 0 : 0.5) - expectedA);
    elo[a] += change;
    elo[b] -= change;
  }

  /**
   * Adds the cells of `partial` (votes whose Elo steps were taken by addElo, in order), a persona
   * class's votes at a time between pauses: the global, per-class, per-condition and per-day cells come out as if each
   * vote had been added by addIndexedVote. Its models, persona classes and days are numbered here
   * by name (the votes' log numbered them first, so the indices are those of first appearance).
   * The partial is consumed (its packed votes are renumbered in place).
   */
  *mergePartialInSteps(partial: TPartialCells): Generator<void, void> {
    const { models, personaClasses, days } = this.dictionaries;
    const modelIndex = Uint32Array.from(partial.models, (model) => models.index(model));
    this.ensureCapacity();
    const capacity = this.capacity;
    const local = partial.models.length;
    const cellOf = new Uint32Array(local * local * OUTCOME_CODES);
    for (let a = 0; a < local; a++) {
      for (let b = 0; b < local; b++) {
        for (let o = 0; o < OUTCOME_CODES; o++) cellOf[(a * local + b) * OUTCOME_CODES + o] = (modelIndex[a] * capacity + modelIndex[b]) * OUTCOME_CODES + o;
      }
    }
    this.global.addCounts(partial.global, cellOf);
    for (const { condition, cells } of partial.conditions) {
      const index = this.conditions.index(condition);
      let conditionCells = this.byCondition[index];
      if (!conditionCells) this.byCondition[index] = conditionCells = new GrowingCells(capacity);
      conditionCells.addCounts(cells, cellOf);
    }
    for (const { personaClass, votes } of partial.classes) {
      const index = personaClasses.index(personaClass);
      let packed = this.byClass[index];
      if (!packed) this.byClass[index] = packed = new PackedVotes();
      packed.appendTranslated(votes, modelIndex);
      yield;
    }
    for (const { day, cells } of partial.days) {
      const index = days.index(day);
      let dayCells = this.byDay[index];
      if (!dayCells) this.byDay[index] = dayCells = new GrowingCells(capacity);
      dayCells.addCounts(cells, cellOf);
    }
  }

  /**
   * addIndexedVote for votes k < length of the columns, in order, skipping those whose
   * `isExcluded[voter[k]]` is truthy: the same aggregate, with less work per vote.
   */
  addIndexedVotes(columns: TIndexedVoteColumns, length: number, isExcluded: ArrayLike<number | boolean>): void {
    const { modelA, modelB, outcome, voter, personaClass, day } = columns;
    this.ensureCapacity();
    const capacity = this.capacity;
    const global = this.global.counts;
    const elo = this.elo;
    let added = 0;
    for (let k = 0; k < length; k++) {
      if (isExcluded[voter[k]]) continue;
      const a = modelA[k];
      const b = modelB[k];
      const code = outcome[k];
      const cell = (a * capacity + b) * OUTCOME_CODES + code;
      global[cell] += 1;
      this.addToClass(personaClass[k], cell, (a * MAX_PACKED_MODELS + b) * 4 + code);
      let dayCells = this.byDay[day[k]];
      if (!dayCells) this.byDay[day[k]] = dayCells = new GrowingCells(capacity);
      dayCells.addAt(cell);
      // Elo's step (addElo) written out: a call per vote made replays about twice as slow.
      const expectedA = 1 / (1 + Math.exp((elo[b] - elo[a]) * LOG_BASE_PER_POINT));
      const change = ELO_K * ((code === OUTCOME_A_WINS ? 1 : code === OUTCOME_B_WINS ? 0 : 0.5) - expectedA);
      elo[a] += change;
      elo[b] -= change;
      added += 1;
    }
    this.global.total += added;
  }

  private toCells(parts: Iterable<GrowingCells | PackedVotes>): BattleCells {
    const modelCount = this.models.length;
    const counts = new Float64Array(modelCount * modelCount * OUTCOME_CODES);
    let total = 0;
    for (const part of parts) {
      part.addInto(counts, modelCount);
      total += part instanceof PackedVotes ? part.length : part.total;
    }
    return { models: this.models.slice(), counts, total };
  }

  /** All votes as cells over `models` (first-appearance order). */
  cells(): BattleCells {
    return this.toCells([this.global]);
  }

  /** Votes of annotators whose persona matches every condition, over the same model list as `cells()`. */
  segmentCells(segment: readonly TSegmentCondition[]): BattleCells {
    if (segment.length === 0) return this.cells();
    if (segment.length === 1) {
      const cells = this.byCondition[this.conditions.index(segmentKey(segment))];
      return this.toCells(cells ? [cells] : []);
    }
    const parts: PackedVotes[] = [];
    this.byClass.forEach((votes, personaClass) => {
      if (!votes) return;
      if (personaInSegment(this.conditionsOfClass(personaClass).held, segment)) parts.push(votes);
    });
    return this.toCells(parts);
  }

  private daysInOrder(): { day: string; cells: GrowingCells }[] {
    const days = this.dictionaries.days.values;
    const present: { day: string; cells: GrowingCells }[] = [];
    this.byDay.forEach((cells, index) => {
      if (cells) present.push({ day: days[index], cells });
    });
    return present.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
  }

  /** Cells of each day that had votes (not cumulative), oldest first, over the same model list as `cells()`. */
  cellsByDay(): { day: string; cells: BattleCells }[] {
    return this.daysInOrder().map(({ day, cells }) => ({ day, cells: this.toCells([cells]) }));
  }

  /** Votes per day, oldest first. */
  votesByDay(): { day: string; votes: number }[] {
    return this.daysInOrder().map(({ day, cells }) => ({ day, votes: cells.total }));
  }

  eloRatings(): Record<string, number> {
    return Object.fromEntries(this.models.map((model, index) => [model, index < this.elo.length ? this.elo[index] : RATING_CENTER]));
  }
}
