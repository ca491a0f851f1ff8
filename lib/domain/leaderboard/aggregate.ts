import { outcomeCode } from "../rating/battle-log";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, RATING_BASE, RATING_CENTER, RATING_SCALE, type BattleCells, type Outcome } from "../rating/types";
import { parseSegmentKey, personaInSegment, type TSegmentCondition } from "./segments";

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

/** Dense (modelA, modelB, outcome) counts that grow when a new model appears. */
class GrowingCells {
  counts: Float64Array;
  total = 0;
  constructor(private capacity: number) {
    this.counts = new Float64Array(capacity * capacity * OUTCOME_CODES);
  }
  add(a: number, b: number, outcome: number, capacity: number): void {
    if (capacity > this.capacity) this.grow(capacity);
    this.counts[(a * this.capacity + b) * OUTCOME_CODES + outcome] += 1;
    this.total += 1;
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
  private grow(capacity: number): void {
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
 * Incremental aggregate of one modality's counted votes, fed in time order: global cells, online
 * Elo (LMArena: K=4, ties half), cells per persona class and per UTC day. Everything a leaderboard
 * snapshot needs except the fits, so a recomputation after new votes only feeds those votes.
 *
 * Invariants: the global cells' total equals the number of votes fed; the per-class and per-day
 * cells each sum to the global cells; models keep the index of their first appearance.
 */
export class ModalityAggregate {
  readonly models: string[] = [];
  private readonly indexByModel = new Map<string, number>();
  private capacity = 8;
  private readonly global = new GrowingCells(8);
  private readonly byClass = new Map<string, GrowingCells>();
  private readonly byDay = new Map<string, GrowingCells>();
  private elo = new Float64Array(8).fill(RATING_CENTER);

  get voteCount(): number {
    return this.global.total;
  }

  private modelIndex(model: string): number {
    let index = this.indexByModel.get(model);
    if (index === undefined) {
      index = this.models.length;
      this.models.push(model);
      this.indexByModel.set(model, index);
      if (this.models.length > this.capacity) {
        this.capacity *= 2;
        const elo = new Float64Array(this.capacity).fill(RATING_CENTER);
        elo.set(this.elo);
        this.elo = elo;
      }
    }
    return index;
  }

  addVote(vote: TAggregatedVote): void {
    const a = this.modelIndex(vote.modelA);
    const b = this.modelIndex(vote.modelB);
    const code = outcomeCode(vote.outcome);
    this.global.add(a, b, code, this.capacity);
    let cells = this.byClass.get(vote.personaClass);
    if (!cells) this.byClass.set(vote.personaClass, (cells = new GrowingCells(this.capacity)));
    cells.add(a, b, code, this.capacity);
    let dayCells = this.byDay.get(vote.day);
    if (!dayCells) this.byDay.set(vote.day, (dayCells = new GrowingCells(this.capacity)));
    dayCells.add(a, b, code, this.capacity);

    const expectedA = 1 / (1 + Math.exp((this.elo[b] - this.elo[a]) * LOG_BASE_PER_POINT));
    const scoreA = code === OUTCOME_A_WINS ? 1 : code === OUTCOME_B_WINS ? 0 : 0.5;
    const change = ELO_K * (scoreA - expectedA);
    this.elo[a] += change;
    this.elo[b] -= change;
  }

  private toCells(parts: Iterable<GrowingCells>): BattleCells {
    const modelCount = this.models.length;
    const counts = new Float64Array(modelCount * modelCount * OUTCOME_CODES);
    let total = 0;
    for (const part of parts) {
      part.addInto(counts, modelCount);
      total += part.total;
    }
    return { models: this.models.slice(), counts, total };
  }

  /** All votes as cells over `models` (first-appearance order). */
  cells(): BattleCells {
    return this.toCells([this.global]);
  }

  /** Votes of annotators whose persona matches every condition, over the same model list as `cells()`. */
  segmentCells(segment: readonly TSegmentCondition[]): BattleCells {
    const parts: GrowingCells[] = [];
    for (const [personaClass, cells] of this.byClass) {
      if (personaInSegment(parseSegmentKey(personaClass) ?? [], segment)) parts.push(cells);
    }
    return this.toCells(parts);
  }

  /** Cells of each day that had votes (not cumulative), oldest first, over the same model list as `cells()`. */
  cellsByDay(): { day: string; cells: BattleCells }[] {
    return [...this.byDay.keys()].sort().map((day) => ({ day, cells: this.toCells([this.byDay.get(day)!]) }));
  }

  /** Votes per day, oldest first. */
  votesByDay(): { day: string; votes: number }[] {
    return [...this.byDay.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([day, cells]) => ({ day, votes: cells.total }));
  }

  eloRatings(): Record<string, number> {
    return Object.fromEntries(this.models.map((model, index) => [model, this.elo[index]]));
  }
}
