import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/server/db";
import { insertBattleRows } from "@/lib/server/battles/write-batcher";
import { storeOf, type ArenaStore } from "@/lib/server/store";
import { resetDatabase } from "../helpers/db";
import { createTextModelPair, newBattleRows, type TRowOwners } from "../helpers/store-rows";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

// The write batcher's group commit (lib/server/battles/write-batcher.ts), on whichever database the run uses.
describe("the group commit", () => {
  let store: ArenaStore;
  let owners: TRowOwners;

  beforeAll(async () => {
    await resetDatabase(db);
    store = await storeOf(db);
    const user = await db.user.create({ data: { role: "guest", isGuest: true } });
    owners = { user: user.id, ...(await createTextModelPair(db, "commit")) };
  });

  afterAll(() => vi.restoreAllMocks());

  it("commits writes queued one turn of the event loop apart together, not one commit per turn, and stores every one", async () => {
    const commit = vi.spyOn(store, "commit");
    const saved: Promise<void>[] = [];
    for (let index = 0; index < 10; index++) {
      saved.push(insertBattleRows(db, newBattleRows(owners, `commit-battle-${index}`, new Date())));
      // The previous write's commit, if it runs at the next turn, runs before the next write is queued.
      await nextTurn();
    }
    await Promise.all(saved);
    // One commit per turn would be 10; spaced commits take what came meanwhile (2 on a quiet machine).
    expect(commit.mock.calls.length).toBeLessThanOrEqual(5);
    expect(commit.mock.calls.flatMap(([groups]) => groups)).toHaveLength(10);
    expect(await db.battle.count({ where: { id: { startsWith: "commit-battle-" } } })).toBe(10);
    expect(await db.response.count({ where: { turn: { battleId: { startsWith: "commit-battle-" } } } })).toBe(20);
  });
});
