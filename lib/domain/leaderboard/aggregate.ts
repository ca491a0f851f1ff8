import { outcomeCode } from "../rating/battle-log";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, RATING_BASE, RATING_CENTER, RATING_SCALE, type BattleCells, type Outcome } from "../rating/types";
import { Dictionary } from "../dictionary";
import { PackedVotes, VoteCells, type GrowingCells, type TPartialCells } from "./cells";
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

/** Persona classes defined between two pauses of defineClassesInSteps. */
const CLASS_STEP = 64;

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
  /** The votes' cells; a class's conditions are derived from its key at its first vote. */
  private readonly counted: VoteCells;
  /** Per class index: its conditions, parsed once (multi-condition segments). */
  private readonly held: TSegmentCondition[][] = [];
  private eloCapacity = 8;
  private elo = new Float64Array(8).fill(RATING_CENTER);

  constructor(dictionaries: TAggregateDictionaries = createAggregateDictionaries()) {
    this.dictionaries = dictionaries;
    this.counted = new VoteCells((personaClass) => conditionKeysOf(dictionaries.personaClasses.values[personaClass]));
  }

  /** Models in index order (first appearance). */
  get models(): readonly string[] {
    return this.dictionaries.models.values;
  }

  get voteCount(): number {
    return this.counted.total;
  }

  /** Grows Elo's ratings when a model appears. */
  private ensureEloCapacity(): void {
    const modelCount = this.dictionaries.models.size;
    if (modelCount <= this.eloCapacity) return;
    while (this.eloCapacity < modelCount) this.eloCapacity *= 2;
    const elo = new Float64Array(this.eloCapacity).fill(RATING_CENTER);
    elo.set(this.elo);
    this.elo = elo;
  }

  private heldOf(personaClass: number): TSegmentCondition[] {
    return (this.held[personaClass] ??= parseSegmentKey(this.dictionaries.personaClasses.values[personaClass]) ?? []);
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
    this.counted.add(a, b, code, personaClass, day, this.dictionaries.models.size);
    this.addElo(a, b, code);
  }

  /**
   * Online Elo's step for one vote, and nothing else: the ordered part of a vote, for votes whose
   * cells come in a partial (mergePartialInSteps). Same caller guarantees as addIndexedVote.
   */
  addElo(a: number, b: number, code: number): void {
    if (a >= this.eloCapacity || b >= this.eloCapacity) this.ensureEloCapacity();
    const elo = this.elo;
    const expectedA = 1 / (1 + Math.exp((elo[b] - elo[a]) * LOG_BASE_PER_POINT));
    const change = ELO_K * ((code === OUTCOME_A_WINS ? 1 : code === OUTCOME_B_WINS ? 0 : 0.5) - expectedA);
    elo[a] += change;
    elo[b] -= change;
  }

  /**
   * Adds the cells of `partial` (votes whose Elo steps were taken by addElo, in order), a persona
   * class's votes at a time between pauses: the cells come out as if each vote had been added by
   * addIndexedVote. Its models, persona classes and days are numbered here by name (the votes' log
   * numbered them first, so the indices are those of first appearance). The partial is consumed.
   */
  mergePartialInSteps(partial: TPartialCells): Generator<void, void> {
    const { models, personaClasses, days } = this.dictionaries;
    const modelIndex = Uint32Array.from(partial.models, (model) => models.index(model));
    this.ensureEloCapacity();
    return this.counted.mergeInSteps(partial, modelIndex, models.size, (personaClass) => personaClasses.index(personaClass), (day) => days.index(day));
  }

  /**
   * Derives the conditions of every persona class of the dictionaries (as a class's first vote
   * would), pausing every CLASS_STEP classes, for a replay of a log whose classes are all known: a
   * replay then never parses a class key between its pauses. Replayed by a new process, the first
   * chunks of 512 votes met hundreds of new classes each, and their parsing (and the garbage of it)
   * held the event loop 15–20 ms per chunk (stalls3). Counts nothing.
   */
  *defineClassesInSteps(): Generator<void, void> {
    const classes = this.dictionaries.personaClasses.values;
    for (let personaClass = 0; personaClass < classes.length; personaClass++) {
      this.counted.defineClass(personaClass, conditionKeysOf(classes[personaClass]));
      if (personaClass % CLASS_STEP === CLASS_STEP - 1) yield;
    }
  }

  /**
   * addIndexedVote for votes k < length of the columns, in order, skipping those whose
   * `isExcluded[voter[k]]` is truthy: the same aggregate, with less work per vote.
   */
  addIndexedVotes(columns: TIndexedVoteColumns, length: number, isExcluded: ArrayLike<number | boolean>): void {
    const { modelA, modelB, outcome, voter, personaClass, day } = columns;
    const models = this.dictionaries.models.size;
    this.ensureEloCapacity();
    const counted = this.counted;
    const elo = this.elo;
    for (let k = 0; k < length; k++) {
      if (isExcluded[voter[k]]) continue;
      const a = modelA[k];
      const b = modelB[k];
      const code = outcome[k];
      counted.add(a, b, code, personaClass[k], day[k], models);
      // Elo's step (addElo) written out: a call per vote made replays about twice as slow.
      const expectedA = 1 / (1 + Math.exp((elo[b] - elo[a]) * LOG_BASE_PER_POINT));
      const change = ELO_K * ((code === OUTCOME_A_WINS ? 1 : code === OUTCOME_B_WINS ? 0 : 0.5) - expectedA);
      elo[a] += change;
      elo[b] -= change;
    }
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
    return this.toCells([this.counted.globalCells()]);
  }

  /** Votes of annotators whose persona matches every condition, over the same model list as `cells()`. */
  segmentCells(segment: readonly TSegmentCondition[]): BattleCells {
    if (segment.length === 0) return this.cells();
    if (segment.length === 1) return this.toCells([this.counted.conditionCells(segmentKey(segment))]);
    const parts: PackedVotes[] = [];
    for (const { personaClass, votes } of this.counted.classes()) {
      if (personaInSegment(this.heldOf(personaClass), segment)) parts.push(votes);
    }
    return this.toCells(parts);
  }

  private daysInOrder(): { day: string; cells: GrowingCells }[] {
    const days = this.dictionaries.days.values;
    const present = [...this.counted.days()].map(({ day, cells }) => ({ day: days[day], cells }));
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
