import type { SuperJSONResult } from "superjson";

/**
 * What a battle's event stream carries (GET /api/battles/[id]/stream). Shared by the server hub and
 * the browser, so it imports nothing server-only.
 *
 * Order per generation round: one `snapshot` (everything so far, so a reconnecting client loses
 * nothing), then `delta`s and one `side` per generating side when it finishes, then `ready` once
 * every answer is saved (votes are accepted from then on), then `end`. On the wire, `end` carries
 * the battle as `battle.get` returns it at that moment (its owner's view: no model before the vote),
 * superjson-encoded like tRPC's answers, so the page needs no request of its own; it is absent only
 * when the battle could not be read (the page then asks with `battle.get`).
 */
export type TSide = "a" | "b";
export const SIDES: readonly TSide[] = ["a", "b"];

type TSideStatus = "pending" | "streaming" | "complete" | "error";

interface TSideMedia {
  sha256: string;
  mime: string;
  durationSeconds: number | null;
}

export interface TSideSnapshot {
  status: TSideStatus;
  text: string;
  errorKind: string | null;
  errorMessage: string | null;
  media: TSideMedia | null;
  attempt: number;
}

export type TBattleStreamEvent =
  | { type: "snapshot"; turnIndex: number; sides: Record<TSide, TSideSnapshot>; generating: boolean }
  | { type: "delta"; turnIndex: number; side: TSide; text: string }
  | { type: "side"; turnIndex: number; side: TSide; snapshot: TSideSnapshot }
  | { type: "ready"; turnIndex: number }
  | { type: "end"; battle?: SuperJSONResult };

export const EMPTY_SIDE: TSideSnapshot = { status: "pending", text: "", errorKind: null, errorMessage: null, media: null, attempt: 1 };

/** Applies one event to the sides of the current turn; pure, used by the browser and by the hub. */
export function applyBattleEvent(sides: Record<TSide, TSideSnapshot>, event: TBattleStreamEvent): Record<TSide, TSideSnapshot> {
  switch (event.type) {
    case "snapshot":
      return event.sides;
    case "delta": {
      const side = sides[event.side];
      return { ...sides, [event.side]: { ...side, status: "streaming", text: side.text + event.text } };
    }
    case "side":
      return { ...sides, [event.side]: event.snapshot };
    default:
      return sides;
  }
}

/**
 * Merges the deltas of a burst of events: each side's consecutive deltas (between two events that are
 * not deltas) become one, placed where the first of them was. Any other event keeps its place after
 * every delta before it, so applying the result gives exactly the sides applying `events` gives.
 * The server sends a burst (the events of one turn of its event loop) this way: one frame per side
 * instead of one per few words when a model streams faster than the connection is written.
 */
export function coalesceDeltas(events: readonly TBattleStreamEvent[]): TBattleStreamEvent[] {
  const merged: TBattleStreamEvent[] = [];
  const openDelta = new Map<string, number>();
  for (const event of events) {
    if (event.type !== "delta") {
      openDelta.clear();
      merged.push(event);
      continue;
    }
    const key = `${event.turnIndex}:${event.side}`;
    const at = openDelta.get(key);
    const open = at === undefined ? undefined : merged[at];
    if (open?.type === "delta") merged[at!] = { ...open, text: open.text + event.text };
    else {
      openDelta.set(key, merged.length);
      merged.push(event);
    }
  }
  return merged;
}
