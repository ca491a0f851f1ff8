import type { StyleCounts, StyledBattle } from "@/lib/domain/rating";
import { countMarkdownStyle } from "@/lib/domain/rating";
import { VOTE_OUTCOMES, type TVoteOutcome } from "@/lib/domain/vocabulary";
import { timeSlices } from "@/lib/server/yielding";

/**
 * Style control's votes: the stores' packed styled votes (one line per counted text vote, both
 * sides' style summed over turns) parsed into typed columns, which go to a fitting thread as one
 * structured clone of a few arrays (20,000 battles as objects were 60,000 objects built and then
 * copied on the request thread), and turned into battles there.
 */

/** The packed styled votes of a store (lib/server/store/leaderboard-store.ts, readStyledVotes) and where they start. */
export interface TPackedStyledVotes {
  /**
   * A line per vote: "voteId modelAId modelBId outcome userId", the 4 style features (tokens,
   * headers, lists, bold) of side a then of side b, and the number of responses without stored
   * features (their text is counted afterwards, addUnstyledResponses).
   */
  rows: string;
  /** createdAt (ms) of the oldest vote the lines may hold. */
  since: number;
}

/** One response without stored style features of a counted text vote since the cutoff, with its text. */
export interface TUnstyledResponse {
  voteId: string;
  side: "a" | "b";
  text: string | null;
}

/** Style features per battle in the style column: side a's then side b's. */
const FEATURES = 4;
const PER_BATTLE = 2 * FEATURES;

/** Styled battles column-wise (entry k of each column is battle k). */
export interface TStyledBattleColumns {
  count: number;
  models: string[];
  /** Indices into `models`. */
  modelA: Uint32Array;
  modelB: Uint32Array;
  /** Indices into VOTE_OUTCOMES. */
  outcome: Uint8Array;
  /** PER_BATTLE numbers a battle: tokens, headers, lists, bold of side a, then of side b. */
  style: Float64Array;
}

/** Parsed styled votes: the columns, the vote id of each battle, and whether a response had no stored features. */
export interface TParsedStyledVotes {
  columns: TStyledBattleColumns;
  voteIds: string[];
  incomplete: boolean;
}

/** Longest stretch (ms) of parsing without yielding to the event loop (20,000 votes take ~0.15 s). */
const PARSE_SLICE_MS = 5;

const OUTCOME_INDEX = new Map<string, number>(VOTE_OUTCOMES.map((outcome, index) => [outcome, index]));

/** Parses the packed styled votes, yielding to the event loop every PARSE_SLICE_MS; votes of `excludedUsers` are left out. */
export async function parseStyledPacked(packed: string, excludedUsers: Set<string>): Promise<TParsedStyledVotes> {
  const lines = packed ? packed.split("\n") : [];
  const modelA = new Uint32Array(lines.length);
  const modelB = new Uint32Array(lines.length);
  const outcome = new Uint8Array(lines.length);
  const style = new Float64Array(lines.length * PER_BATTLE);
  const models = new Map<string, number>();
  const modelIndex = (id: string) => {
    let index = models.get(id);
    if (index === undefined) models.set(id, (index = models.size));
    return index;
  };
  const voteIds: string[] = [];
  let incomplete = false;
  let count = 0;
  const slice = timeSlices(PARSE_SLICE_MS);
  for (let k = 0; k < lines.length; k++) {
    if (k % 256 === 0 && slice.due) await slice.pause();
    const fields = lines[k].split(" ");
    if (fields.length !== 6 + PER_BATTLE) throw new Error("malformed styled vote row");
    const [voteId, a, b, outcomeName, userId] = fields;
    const outcomeIndex = OUTCOME_INDEX.get(outcomeName);
    if (outcomeIndex === undefined) throw new Error("unknown vote outcome in a styled vote row");
    if (Number(fields[5 + PER_BATTLE]) > 0) incomplete = true;
    if (excludedUsers.has(userId)) continue;
    modelA[count] = modelIndex(a);
    modelB[count] = modelIndex(b);
    outcome[count] = outcomeIndex;
    for (let f = 0; f < PER_BATTLE; f++) style[count * PER_BATTLE + f] = Number(fields[5 + f]);
    voteIds.push(voteId);
    count++;
  }
  const columns = { count, models: [...models.keys()], modelA: modelA.slice(0, count), modelB: modelB.slice(0, count), outcome: outcome.slice(0, count), style: style.slice(0, count * PER_BATTLE) };
  return { columns, voteIds, incomplete };
}

/** Adds the style counted from the text of responses that have no stored features to their battles (votes not parsed are skipped). */
export function addUnstyledResponses(parsed: TParsedStyledVotes, responses: TUnstyledResponse[]): void {
  const battleOf = new Map(parsed.voteIds.map((voteId, index) => [voteId, index]));
  for (const response of responses) {
    const battle = battleOf.get(response.voteId);
    if (battle === undefined) continue;
    const counts = countMarkdownStyle(response.text ?? "");
    const at = battle * PER_BATTLE + (response.side === "a" ? 0 : FEATURES);
    const { style } = parsed.columns;
    style[at] += counts.tokens;
    style[at + 1] += counts.headers;
    style[at + 2] += counts.lists;
    style[at + 3] += counts.bold;
  }
}

/** The battles of the columns (in a fitting thread, where the style fit takes them). */
export function styledBattlesOf(columns: TStyledBattleColumns): StyledBattle[] {
  const battles: StyledBattle[] = [];
  const { style } = columns;
  const counts = (at: number): StyleCounts => ({ tokens: style[at], headers: style[at + 1], lists: style[at + 2], bold: style[at + 3] });
  for (let k = 0; k < columns.count; k++) {
    battles.push({
      modelA: columns.models[columns.modelA[k]],
      modelB: columns.models[columns.modelB[k]],
      outcome: VOTE_OUTCOMES[columns.outcome[k]] as TVoteOutcome,
      styleA: counts(k * PER_BATTLE),
      styleB: counts(k * PER_BATTLE + FEATURES),
    });
  }
  return battles;
}
