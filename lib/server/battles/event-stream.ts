import "server-only";
import { INTERRUPTED_FAILURE_KIND, publicFailureMessage } from "@/lib/domain/battle/failure-message";
import { ANSWER_STALE_AFTER_MS, mayStillBeWritten } from "@/lib/domain/battle/answer-liveness";
import { coalesceDeltas, type TBattleStreamEvent, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";
import { modelsById } from "@/lib/server/battles/model-pool";
import { sidesOf } from "@/lib/server/battles/snapshots";
import { battleHub, type LiveRound } from "@/lib/server/battles/stream-hub";
import { db as appDb, type Db } from "@/lib/server/db";
import { battleViewOfRows, getBattleView } from "@/lib/server/services/battle-view";
import { getCurrentUser } from "@/lib/server/session";
import { storeOf, type TBattleRows } from "@/lib/server/store";
import { serialize } from "@/lib/trpc/transformer";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform keeps compression middleware from buffering the stream.
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;

export interface TBattleStreamOptions {
  db: Db;
  userId: string;
  battleId: string;
  /** Fires when the client goes away. */
  signal: AbortSignal;
  /** How often to re-read the database when another instance is generating. */
  pollIntervalMs?: number;
  heartbeatMs?: number;
  /** A response still streaming after this long with no live round anywhere is marked interrupted. */
  staleAfterMs?: number;
}

const encoder = new TextEncoder();
const encodeEvents = (events: TBattleStreamEvent[]) => encoder.encode(events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join(""));

type TStoredTurn = TBattleRows["turns"][number];

/** The battle's rows in one store read (one statement on PostgreSQL), or null if there is no such battle. */
async function readBattleRows(db: Db, battleId: string): Promise<TBattleRows | null> {
  return (await storeOf(db)).readBattle(battleId);
}

const isSettled = (sides: Record<TSide, TSideSnapshot>) => Object.values(sides).every((side) => side.status === "complete" || side.status === "error");

/**
 * Marks answers interrupted when their generation can no longer be running anywhere (the instance
 * generating them stopped): they streamed for longer than the model's whole timeout plus a margin.
 */
async function markStaleResponses(db: Db, turn: TStoredTurn, staleAfterMs: number): Promise<boolean> {
  const unsettled = turn.responses.filter((response) => response.status === "streaming" || response.status === "pending");
  // The models' timeouts come from the model cache: polling a round another instance generates costs one battle read.
  const models = await modelsById(db, unsettled.map((response) => response.modelId));
  const now = Date.now();
  const stale = unsettled.filter((response) => !mayStillBeWritten(response.startedAt, models.get(response.modelId)!.timeoutMs, now, staleAfterMs));
  for (const response of stale) {
    await db.response.updateMany({
      where: { id: response.id, status: { in: ["streaming", "pending"] } },
      data: { status: "error", errorKind: INTERRUPTED_FAILURE_KIND, errorMessage: publicFailureMessage(INTERRUPTED_FAILURE_KIND, null), completedAt: new Date() },
    });
  }
  if (stale.length > 0) await db.battle.updateMany({ where: { id: turn.battleId, status: "generating" }, data: { status: "ready", completedAt: new Date() } });
  return stale.length > 0;
}

/** Where a battle's events are written: a ReadableStream (the route's Response) or the socket itself (the fast lane). */
export interface TEventSink {
  write(chunk: Uint8Array): void;
  close(): void;
}

/**
 * Null unless `userId` owns the battle. A live round knows its owner: no query before the first event
 * (`rows` null). Otherwise the battle is read once, and its stream starts from that read (`rows`).
 */
async function ownedBattle(db: Db, userId: string, battleId: string): Promise<{ rows: TBattleRows | null } | null> {
  const live = battleHub.get(battleId);
  if (live) return live.userId === userId ? { rows: null } : null;
  const rows = await readBattleRows(db, battleId);
  return rows?.userId === userId ? { rows } : null;
}

/**
 * The battle's Server-Sent Events (`data: {json}` per event; see TBattleStreamEvent), written into
 * `sink` until the battle's `end` or until the returned stop function is called (the client left).
 * When the battle generates in this process, it relays the live round (snapshot, then events).
 * Otherwise it reads the database: a settled battle gets its snapshot, `ready` and `end` at once; a
 * battle generating in another instance is polled until it settles. Generation never depends on this
 * connection. The caller has checked that the user owns the battle.
 */
function pumpBattleEvents(options: TBattleStreamOptions, sink: TEventSink, firstRead: TBattleRows | null): () => void {
  const { db, userId, battleId, signal, pollIntervalMs = 500, heartbeatMs = 15_000, staleAfterMs = ANSWER_STALE_AFTER_MS } = options;
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let poll: ReturnType<typeof setTimeout> | null = null;
  const heartbeat = setInterval(() => send(encoder.encode(": keep-alive\n\n")), heartbeatMs);
  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    if (poll) clearTimeout(poll);
    unsubscribe?.();
    signal.removeEventListener("abort", close);
    try {
      sink.close();
    } catch {
      // already closed by the runtime
    }
  }
  function send(chunk: Uint8Array) {
    if (closed) return;
    try {
      sink.write(chunk);
    } catch {
      close();
    }
  }
  signal.addEventListener("abort", close, { once: true });

  /**
   * The stream's last event: `end` with the battle exactly as battle.get would return it now, made from
   * rows already in hand (the live round's, or those this stream has just read), so the page sends no
   * battle.get. Only a round that ended without saving (abandoned, no rows) has its battle read again.
   */
  const endEvent = async (rows: TBattleRows | null): Promise<TBattleStreamEvent> => {
    try {
      const view = rows ? await battleViewOfRows(db, rows) : await getBattleView(db, userId, battleId);
      return { type: "end", battle: serialize(view) };
    } catch (error) {
      console.error(`[battles] the end of ${battleId}'s event stream carries no battle`, error);
      return { type: "end" };
    }
  };

  // The live round's events go out in bursts, one per turn of the event loop, with each side's
  // deltas merged (a model streaming faster than we write would otherwise cost a frame per chunk).
  // The round's last burst (its answers, `ready`, `end`) leaves with the battle the round ended with.
  let burst: TBattleStreamEvent[] = [];
  let relayed: LiveRound | null = null;
  const flushBurst = () => {
    const events = coalesceDeltas(burst);
    burst = [];
    if (events.at(-1)?.type !== "end") return send(encodeEvents(events));
    // The round has ended and left the hub (generation.ts closes it as it publishes `end`).
    void endEvent(relayed?.battleAtEnd ?? null).then((end) => {
      send(encodeEvents([...events.slice(0, -1), end]));
      close();
    });
  };
  const relayLiveRound = (): boolean => {
    const round = battleHub.get(battleId);
    const subscription = round?.subscribe((event) => {
      if (burst.push(event) === 1) setImmediate(flushBurst);
    });
    if (!subscription) return false;
    relayed = round!;
    unsubscribe = subscription.unsubscribe;
    return true;
  };

  let lastSent = "";
  const readDatabase = async (alreadyRead: TBattleRows | null = null): Promise<void> => {
    if (closed || relayLiveRound()) return;
    const rows = alreadyRead ?? (await readBattleRows(db, battleId));
    const turn = rows?.turns.at(-1);
    if (closed) return;
    if (!rows || !turn) {
      send(encodeEvents([{ type: "end" }]));
      return close();
    }
    const sides = sidesOf(turn.responses);
    const settled = isSettled(sides);
    const snapshot: TBattleStreamEvent = { type: "snapshot", turnIndex: turn.index, sides, generating: !settled };
    const encoded = JSON.stringify(snapshot);
    const changed = encoded !== lastSent;
    lastSent = encoded;
    if (settled) {
      // A settled battle's snapshot, `ready` and `end` (with the battle made from the same read) leave together.
      const end = await endEvent(rows);
      send(encodeEvents([...(changed ? [snapshot] : []), { type: "ready", turnIndex: turn.index }, end]));
      return close();
    }
    if (changed) send(encodeEvents([snapshot]));
    if (await markStaleResponses(db, turn, staleAfterMs)) return readDatabase();
    poll = setTimeout(() => void readDatabase().catch(fail), pollIntervalMs);
  };
  const fail = (error: unknown) => {
    console.error(`[battles] event stream of ${battleId} failed`, error);
    close();
  };
  if (!relayLiveRound()) void readDatabase(firstRead).catch(fail);
  return close;
}

/** The battle's event stream as a Response (404 for a battle that is not the user's); see pumpBattleEvents. */
export async function openBattleEventStream(options: TBattleStreamOptions): Promise<Response> {
  const owned = await ownedBattle(options.db, options.userId, options.battleId);
  if (!owned) return Response.json({ error: NOT_FOUND }, { status: 404 });
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      stop = pumpBattleEvents(options, { write: (chunk) => controller.enqueue(chunk), close: () => controller.close() }, owned.rows);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}

const NOT_SIGNED_IN = "Please sign in or continue as a guest first.";
const NOT_FOUND = "This battle was not found.";

/**
 * The fast lane's battle stream: the same checks as the route (401 without a session, 404 for a
 * battle that is not the user's), then `open()` gives the sink the events are written into, with no
 * ReadableStream and Response in between. Returns the refusal, or null once the stream started.
 */
export async function streamBattleEvents(
  headers: Pick<Headers, "get">,
  battleId: string,
  signal: AbortSignal,
  open: () => TEventSink,
): Promise<{ status: number; error: string } | null> {
  const user = await getCurrentUser(headers);
  if (!user) return { status: 401, error: NOT_SIGNED_IN };
  const owned = await ownedBattle(appDb, user.id, battleId);
  if (!owned) return { status: 404, error: NOT_FOUND };
  pumpBattleEvents({ db: appDb, userId: user.id, battleId, signal }, open(), owned.rows);
  return null;
}

/** GET /api/battles/[id]/stream for the request's user (401 without a session). */
export async function respondWithBattleStream(headers: Headers, battleId: string, signal: AbortSignal): Promise<Response> {
  const user = await getCurrentUser(headers);
  if (!user) return Response.json({ error: NOT_SIGNED_IN }, { status: 401 });
  return openBattleEventStream({ db: appDb, userId: user.id, battleId, signal });
}
