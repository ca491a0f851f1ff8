/**
 * The persona class of each vote of a parsed window, and the cells of the votes of annotators not
 * excluded (TPartialCells): what the read-ahead threads (./read-ahead.worker.ts) and the request
 * thread's reader (./refresh.ts) do with every window, so that the request thread keeps only the
 * ordered part of a vote (the log and Elo) and merges the cells. No "server-only": the workers import it.
 */
import { Dictionary } from "@/lib/domain/dictionary";
import { PartialCells, type TPartialCells } from "@/lib/domain/leaderboard/aggregate";
import { personaSegmentConditions, segmentKey } from "@/lib/domain/leaderboard/segments";
import { ZPersonaSchema } from "@/lib/domain/persona/schema";
import type { TPackedWindowColumns, TPackedWindowNumbering } from "./packed-vote-window";

export interface PersonaTimeline {
  /** Ascending by time: the persona class in force from `since` on. */
  versions: { since: number; personaClass: string }[];
}

/** Rows between two pauses of personaTimelinesInSteps. */
const TIMELINE_STEP = 64;

/**
 * Persona class timelines per annotator from the persona versions (by annotator, then time), pausing
 * every TIMELINE_STEP rows: thousands of personas parsed and keyed take a few hundred milliseconds on
 * a busy machine.
 */
export function* personaTimelinesInSteps(rows: readonly { userId: string; createdAt: number; data: unknown }[]): Generator<void, Map<string, PersonaTimeline>> {
  const timelines = new Map<string, PersonaTimeline>();
  for (let k = 0; k < rows.length; k++) {
    if (k > 0 && k % TIMELINE_STEP === 0) yield;
    const row = rows[k];
    const parsed = ZPersonaSchema.safeParse(row.data);
    const personaClass = parsed.success ? segmentKey(personaSegmentConditions(parsed.data)) : "";
    let timeline = timelines.get(row.userId);
    if (!timeline) timelines.set(row.userId, (timeline = { versions: [] }));
    timeline.versions.push({ since: row.createdAt, personaClass });
  }
  return timelines;
}

function personaClassAt(timeline: PersonaTimeline | undefined, time: number): string {
  const versions = timeline?.versions;
  if (!versions) return "";
  let personaClass = "";
  for (const version of versions) {
    if (version.since > time) break;
    personaClass = version.personaClass;
  }
  // A vote cast before the first persona (should not happen) is attributed to the first one.
  return personaClass || versions[0].personaClass;
}

/** Entry k is the persona class of vote k of a window, numbered by its WindowCells; classes numbered for the first time in it, in number order. */
export interface TWindowClasses {
  personaClass: Uint32Array;
  newPersonaClasses: string[];
}

/**
 * One modality's windows numbered by one TPackedWindowNumbering, fed in the numbering's order (the
 * windows' newUsers extend it): classifies their votes and counts the cells of those not excluded.
 */
export class WindowCells {
  private readonly classes = new Dictionary();
  /** Per annotator number: its persona class when it never changed, −1: look it up by time. */
  private readonly fixedClass: number[] = [];
  private readonly timeline: (PersonaTimeline | undefined)[] = [];
  private readonly excluded: boolean[] = [];
  private readonly cells = new PartialCells(this.classes.values);

  constructor(
    private readonly timelines: ReadonlyMap<string, PersonaTimeline>,
    private readonly excludedUsers: ReadonlySet<string>,
  ) {}

  /** The classes of the window's votes; counts them. `numbering` is the window's, after it was parsed. */
  add(columns: TPackedWindowColumns, numbering: TPackedWindowNumbering): TWindowClasses {
    const first = this.classes.size;
    for (const userId of columns.newUsers) {
      const timeline = this.timelines.get(userId);
      this.timeline.push(timeline);
      this.fixedClass.push(!timeline || timeline.versions.length === 1 ? this.classes.index(personaClassAt(timeline, 0)) : -1);
      this.excluded.push(this.excludedUsers.has(userId));
    }
    const models = numbering.models.size;
    const personaClass = new Uint32Array(columns.count);
    for (let k = 0; k < columns.count; k++) {
      const user = columns.user[k];
      const fixed = this.fixedClass[user];
      // Versions added since the read started have no time on the row (−Infinity); they apply to later votes only.
      const index = fixed >= 0 ? fixed : this.classes.index(personaClassAt(this.timeline[user], columns.time[k]));
      personaClass[k] = index;
      if (!this.excluded[user]) this.cells.add(columns.modelA[k], columns.modelB[k], columns.outcome[k], index, columns.day[k], models);
    }
    return { personaClass, newPersonaClasses: this.classes.values.slice(first) };
  }

  /** The cells counted so far, named. */
  partial(numbering: TPackedWindowNumbering): TPartialCells {
    return this.cells.toPartial([...numbering.models.keys()], [...numbering.days.keys()]);
  }
}
