import "server-only";
import { applyBattleEvent, type TBattleStreamEvent, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";
import type { TBattleRows } from "@/lib/server/store";

export type TBattleListener = (event: TBattleStreamEvent) => void;

/**
 * One generation round of one battle (a new battle, a follow-up turn or a retried side) while it
 * runs in this process. It keeps the text streamed so far, so a subscriber that connects late or
 * reconnects first gets a snapshot of everything, then every later event: subscribing and taking the
 * snapshot happen in the same synchronous step, so nothing falls in between.
 */
export class LiveRound {
  private readonly listeners = new Set<TBattleListener>();
  private sides: Record<TSide, TSideSnapshot>;
  private ended = false;
  private endRows: TBattleRows | null = null;
  private resolveSettled!: () => void;
  /** Resolves once every answer of the round is saved (the round published `ready`). */
  readonly settled: Promise<void> = new Promise((resolve) => (this.resolveSettled = resolve));
  /** Sides still waiting for their first delta (or their outcome). */
  private readonly awaitingFirstEvent: Set<TSide>;
  private resolveFirstEvents!: () => void;
  /**
   * Resolves once every side generating in this round has streamed its first delta or finished: the
   * moment after which database writes no longer delay anyone's first token.
   */
  readonly firstEvents: Promise<void> = new Promise((resolve) => (this.resolveFirstEvents = resolve));

  constructor(
    readonly battleId: string,
    /** The battle's owner: the event stream checks access against it without a query. */
    readonly userId: string,
    readonly turnIndex: number,
    initialSides: Record<TSide, TSideSnapshot>,
    /** Resolves once the round's rows exist; reads of the battle wait for it. */
    readonly rowsSaved: Promise<unknown>,
  ) {
    this.sides = initialSides;
    this.awaitingFirstEvent = new Set((Object.keys(initialSides) as TSide[]).filter((side) => initialSides[side].status === "streaming"));
    if (this.awaitingFirstEvent.size === 0) this.resolveFirstEvents();
  }

  /**
   * The battle's rows as the round's saved writes left them, set as it publishes `end` (null before, and
   * after an abandoned round, whose writes were not saved).
   */
  get battleAtEnd(): TBattleRows | null {
    return this.endRows;
  }

  get snapshot(): Extract<TBattleStreamEvent, { type: "snapshot" }> {
    return { type: "snapshot", turnIndex: this.turnIndex, sides: this.sides, generating: !this.ended };
  }

  /** True once no side of the round is still generating (answers may still be being saved). */
  get answersFinished(): boolean {
    return Object.values(this.sides).every((side) => side.status === "complete" || side.status === "error");
  }

  publish(event: TBattleStreamEvent): void {
    if (this.ended) return;
    this.sides = applyBattleEvent(this.sides, event);
    if ((event.type === "delta" || event.type === "side") && this.awaitingFirstEvent.delete(event.side) && this.awaitingFirstEvent.size === 0) {
      this.resolveFirstEvents();
    }
    if (event.type === "ready") this.resolveSettled();
    if (event.type === "end") {
      this.ended = true;
      this.resolveFirstEvents();
    }
    for (const listener of this.listeners) listener(event);
    if (event.type === "end") this.listeners.clear();
  }

  /** Snapshot first, then live events; returns null once the round has ended (read the database instead). */
  subscribe(listener: TBattleListener): { unsubscribe: () => void } | null {
    if (this.ended) return null;
    listener(this.snapshot);
    this.listeners.add(listener);
    return { unsubscribe: () => this.listeners.delete(listener) };
  }

  /** Publishes `end` once the round's writes are saved, with the battle as they left it (see battleAtEnd). */
  end(battle: TBattleRows): void {
    if (this.ended) return;
    this.endRows = battle;
    this.publish({ type: "end" });
  }

  /** Marks the round finished without a `ready` (e.g. its rows could not be saved). */
  abandon(): void {
    this.resolveSettled();
    this.publish({ type: "end" });
  }
}

const globalForHub = globalThis as unknown as { arenaBattleRounds?: Map<string, LiveRound> };
const rounds = (globalForHub.arenaBattleRounds ??= new Map<string, LiveRound>());

/**
 * In-process registry of running rounds, at most one per battle. Generation is owned by the server,
 * not by any browser connection: rounds keep running when every subscriber has left.
 */
export const battleHub = {
  get(battleId: string): LiveRound | undefined {
    return rounds.get(battleId);
  },
  open(input: { battleId: string; userId: string; turnIndex: number; sides: Record<TSide, TSideSnapshot>; rowsSaved: Promise<unknown> }): LiveRound {
    const { battleId, userId, turnIndex, sides, rowsSaved } = input;
    const round = new LiveRound(battleId, userId, turnIndex, sides, rowsSaved);
    rounds.set(battleId, round);
    return round;
  },
  close(round: LiveRound): void {
    if (rounds.get(round.battleId) === round) rounds.delete(round.battleId);
  },
  /** Whether a round of one of `userId`'s battles runs in this process (its rows may not even be saved yet). */
  hasRoundOf(userId: string): boolean {
    for (const round of rounds.values()) if (round.userId === userId) return true;
    return false;
  },
  /** Waits until the battle's running round (if any) has saved its answers. */
  async waitUntilSaved(battleId: string): Promise<void> {
    await rounds.get(battleId)?.settled;
  },
};
