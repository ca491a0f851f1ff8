/**
 * The persona class of each vote of a parsed window, and the cells of the votes of annotators not
 * excluded (TPartialCells): what the read-ahead thread (./read-ahead.worker.ts) and the request
 * thread's reader (./refresh.ts) do with every window, so that the request thread keeps only the
 * ordered part of a vote (the log and Elo) and merges the cells. No "server-only", and nothing that
 * parses personas (no zod): the read-ahead thread imports it; the timelines come parsed (./state.ts).
 */
import { Dictionary } from "@/lib/domain/dictionary";
import { VoteCells, type TPartialCells } from "@/lib/domain/leaderboard/cells";
import type { TPackedWindowColumns, TPackedWindowNumbering } from "./packed-vote-window";

/** One persona version's class: its segmentKey, and the segmentKey of each of its conditions. */
interface TPersonaClassVersion {
  since: number;
  personaClass: string;
  conditions: string[];
}

export interface PersonaTimeline {
  /** Ascending by time: the persona class in force from `since` on. */
  versions: TPersonaClassVersion[];
}

const NO_PERSONA: TPersonaClassVersion = { since: Number.NEGATIVE_INFINITY, personaClass: "", conditions: [] };

/** The version in force at `time` (the first one for a vote before it; no persona without a timeline). */
function versionAt(timeline: PersonaTimeline | undefined, time: number): TPersonaClassVersion {
  const versions = timeline?.versions;
  if (!versions || versions.length === 0) return NO_PERSONA;
  let current: TPersonaClassVersion | null = null;
  for (const version of versions) {
    if (version.since > time) break;
    current = version;
  }
  // A vote cast before the first persona (should not happen) is attributed to the first one.
  return current && current.personaClass ? current : versions[0];
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
  private readonly cells = new VoteCells();

  constructor(
    private readonly timelines: ReadonlyMap<string, PersonaTimeline>,
    private readonly excludedUsers: ReadonlySet<string>,
  ) {}

  private classOf(version: TPersonaClassVersion): number {
    const known = this.classes.size;
    const index = this.classes.index(version.personaClass);
    if (index === known) this.cells.defineClass(index, version.conditions);
    return index;
  }

  /** The classes of the window's votes; counts them. `numbering` is the window's, after it was parsed. */
  add(columns: TPackedWindowColumns, numbering: TPackedWindowNumbering): TWindowClasses {
    const first = this.classes.size;
    for (const userId of columns.newUsers) {
      const timeline = this.timelines.get(userId);
      this.timeline.push(timeline);
      this.fixedClass.push(!timeline || timeline.versions.length === 1 ? this.classOf(versionAt(timeline, 0)) : -1);
      this.excluded.push(this.excludedUsers.has(userId));
    }
    const models = numbering.models.size;
    const personaClass = new Uint32Array(columns.count);
    for (let k = 0; k < columns.count; k++) {
      const user = columns.user[k];
      const fixed = this.fixedClass[user];
      // Versions added since the read started have no time on the row (−Infinity); they apply to later votes only.
      const index = fixed >= 0 ? fixed : this.classOf(versionAt(this.timeline[user], columns.time[k]));
      personaClass[k] = index;
      if (!this.excluded[user]) this.cells.add(columns.modelA[k], columns.modelB[k], columns.outcome[k], index, columns.day[k], models);
    }
    return { personaClass, newPersonaClasses: this.classes.values.slice(first) };
  }

  /** The cells counted so far, named. */
  partial(numbering: TPackedWindowNumbering): TPartialCells {
    return this.cells.toPartial([...numbering.models.keys()], this.classes.values, [...numbering.days.keys()]);
  }
}
