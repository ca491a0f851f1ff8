import { describe, expect, it } from "vitest";
import type { Battle, Response, Turn, Vote } from "@/lib/generated/sqlite/client";
import type { TNewBattleRows, TWriteGroup } from "@/lib/server/store/types";
import { groupCommit } from "@/lib/server/store/postgres-commit";

const at = new Date("2026-07-09T10:00:00.000Z");
const later = new Date("2026-07-09T10:00:05.000Z");

function newBattle(id: string): TNewBattleRows {
  const battle = { id, status: "generating", createdAt: at, completedAt: null, revealedAt: null } as Battle;
  const turn = { id: `turn-${id}`, battleId: id, index: 0, createdAt: at } as Turn;
  const response = (side: "a" | "b") => ({ id: `${side}-${id}`, turnId: turn.id, side, status: "streaming", text: null, errorKind: null, startedAt: at }) as Response;
  return { battle, turn, responses: [response("a"), response("b")] };
}
const voteOn = (battleId: string) => ({ id: `vote-${battleId}`, battleId, createdAt: later }) as Vote;

/** The commit's arguments by name, in groupCommitQuery's order (the compiled query puts constants between them). */
function argumentsOf(groups: TWriteGroup[]) {
  const values = groupCommit(groups)!.parameters.filter((value) => typeof value !== "string" || value.startsWith("["));
  const [battles, turns, responses, writtenIds, writtenFields, readyIds, readyTimes, votes, votedIds, votedTimes] = values;
  const parse = (json: unknown) => JSON.parse(json as string) as Record<string, unknown>[];
  return {
    battles: parse(battles),
    turns: parse(turns),
    responses: parse(responses),
    writes: (writtenIds as string[]).map((id, index) => ({ id, ...(JSON.parse((writtenFields as string[])[index]!) as object) })),
    ready: (readyIds as string[]).map((id, index) => ({ id, at: (readyTimes as string[])[index] })),
    votes: parse(votes),
    voted: (votedIds as string[]).map((id, index) => ({ id, at: (votedTimes as string[])[index] })),
  };
}

describe("the PostgreSQL group commit", () => {
  const fresh = newBattle("fresh");
  const mixed: TWriteGroup[] = [
    { kind: "insert", rows: fresh },
    { kind: "writes", writes: [{ kind: "response", id: "a-fresh", data: { text: "partial" } }, { kind: "response", id: "a-stored", data: { text: "one", errorKind: "timeout" } }] },
    { kind: "writes", writes: [{ kind: "response", id: "a-stored", data: { text: "two", errorKind: null, latencyMs: undefined } }, { kind: "battle-ready", id: "fresh", completedAt: later }, { kind: "battle-ready", id: "stored", completedAt: later }] },
    { kind: "vote", vote: voteOn("fresh") },
    { kind: "vote", vote: voteOn("stored") },
  ];

  it("is one text whatever the batch holds", () => {
    const batches: TWriteGroup[][] = [mixed, [{ kind: "insert", rows: newBattle("x") }, { kind: "insert", rows: newBattle("y") }], [{ kind: "vote", vote: voteOn("z") }]];
    expect(new Set(batches.map((batch) => groupCommit(batch)!.sql)).size).toBe(1);
    expect(groupCommit([])).toBeNull();
  });

  it("applies a batch's writes and votes to the rows it inserts, and merges the writes of each stored answer in order", () => {
    const args = argumentsOf(mixed);
    expect(args.battles).toEqual([{ ...JSON.parse(JSON.stringify(fresh.battle)), status: "voted", completedAt: later.toISOString(), revealedAt: later.toISOString() }]);
    expect(args.turns).toHaveLength(1);
    expect(args.responses.map((response) => [response.id, response.text])).toEqual([["a-fresh", "partial"], ["b-fresh", null]]);
    // Later fields win; a field set to null is written as null; a field given as undefined is not written.
    expect(args.writes).toEqual([{ id: "a-stored", text: "two", errorKind: null }]);
    expect(args.ready).toEqual([{ id: "stored", at: later.toISOString() }]);
    expect(args.votes.map((vote) => vote.battleId)).toEqual(["fresh", "stored"]);
    // Only battles stored before are updated by the statement's vote part (it cannot see rows the statement inserts).
    expect(args.voted).toEqual([{ id: "stored", at: later.toISOString() }]);
  });
});
