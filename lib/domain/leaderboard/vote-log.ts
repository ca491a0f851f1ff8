import { createAggregateDictionaries, ModalityAggregate, type TAggregateDictionaries } from "./aggregate";

const INITIAL_CAPACITY = 1024;

/**
 * Every counted vote of one modality in time order, column-wise (about 21 bytes a vote), with the
 * voter as an opaque number: what a leaderboard aggregate is rebuilt from when the set of excluded
 * voters changes, without reading the votes again.
 *
 * Invariants: entries are never reordered or removed; every index refers to the shared
 * dictionaries (models, persona classes, days), and modelA[k] !== modelB[k].
 */
export class VoteLog {
  readonly dictionaries: TAggregateDictionaries;
  length = 0;
  modelA = new Uint32Array(INITIAL_CAPACITY);
  modelB = new Uint32Array(INITIAL_CAPACITY);
  outcome = new Uint8Array(INITIAL_CAPACITY);
  voter = new Uint32Array(INITIAL_CAPACITY);
  personaClass = new Uint32Array(INITIAL_CAPACITY);
  day = new Uint32Array(INITIAL_CAPACITY);

  constructor(dictionaries: TAggregateDictionaries = createAggregateDictionaries()) {
    this.dictionaries = dictionaries;
  }

  /** Appends one vote (indices into the dictionaries; outcome an OUTCOME_* code). */
  append(modelA: number, modelB: number, outcome: number, voter: number, personaClass: number, day: number): void {
    if (this.length === this.modelA.length) this.grow();
    const k = this.length++;
    this.modelA[k] = modelA;
    this.modelB[k] = modelB;
    this.outcome[k] = outcome;
    this.voter[k] = voter;
    this.personaClass[k] = personaClass;
    this.day[k] = day;
  }

  private grow(): void {
    const capacity = this.modelA.length * 2;
    const widen = <T extends Uint32Array | Uint8Array>(column: T, make: (size: number) => T): T => {
      const wider = make(capacity);
      wider.set(column);
      return wider;
    };
    this.modelA = widen(this.modelA, (size) => new Uint32Array(size));
    this.modelB = widen(this.modelB, (size) => new Uint32Array(size));
    this.outcome = widen(this.outcome, (size) => new Uint8Array(size));
    this.voter = widen(this.voter, (size) => new Uint32Array(size));
    this.personaClass = widen(this.personaClass, (size) => new Uint32Array(size));
    this.day = widen(this.day, (size) => new Uint32Array(size));
  }
}

/**
 * A fresh aggregate (sharing the log's dictionaries) of the logged votes whose voter is not
 * excluded, fed in log order, so online Elo is replayed exactly. `isExcluded[voter]` is truthy for
 * excluded voters; voters beyond its length count.
 */
export function aggregateVoteLog(log: VoteLog, isExcluded: ArrayLike<number | boolean>): ModalityAggregate {
  const aggregate = new ModalityAggregate(log.dictionaries);
  const { modelA, modelB, outcome, voter, personaClass, day } = log;
  for (let k = 0; k < log.length; k++) {
    if (isExcluded[voter[k]]) continue;
    aggregate.addIndexedVote(modelA[k], modelB[k], outcome[k], personaClass[k], day[k]);
  }
  return aggregate;
}
