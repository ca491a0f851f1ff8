"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, useTransition } from "react";
import { AnswerPanel } from "@/components/arena/answer-panel";
import { ConsentGate } from "@/components/arena/consent-gate";
import { canVoteOnAudio, describeListeningProgress } from "@/components/arena/media/listening-gate";
import { isSendablePrompt, PromptField } from "@/components/arena/prompt-field";
import { TurnPrompt } from "@/components/arena/turn-prompt";
import { useBattleStream } from "@/components/arena/use-battle-stream";
import { useVoteFloor } from "@/components/arena/use-vote-floor";
import { VoteBar } from "@/components/arena/vote-bar";
import { VoteOutcome } from "@/components/arena/vote-outcome";
import { PersonaDisclosure } from "@/components/persona/persona-disclosure";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { applyBattleEvent, SIDES, type TBattleStreamEvent, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";
import { givenFeedback } from "@/lib/domain/battle/vote-feedback";
import type { ListenEvent } from "@/lib/domain/listening";
import type { TPersonaStatement } from "@/lib/domain/persona";
import { FEEDBACK_MAX_LENGTH } from "@/lib/schemas/battle";
import type { TBattleView } from "@/lib/server/services/battle-view";
import { MODALITY_LABELS, type TModality, type TVoteOutcome } from "@/lib/domain/vocabulary";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import { deserialize } from "@/lib/trpc/transformer";

const MODALITY_TABS: Array<{ id: TModality; label: string; placeholder: string }> = [
  { id: "text", label: MODALITY_LABELS.text, placeholder: "Ask anything: a question, a task, some code to explain…" },
  { id: "image", label: MODALITY_LABELS.image, placeholder: "Describe an image: a lighthouse at dusk, in watercolour…" },
  { id: "audio", label: MODALITY_LABELS.audio, placeholder: "Describe a piece of music: calm piano with rain…" },
];

type TListening = Record<TSide, { seconds: number; events: ListenEvent[] }>;
const NO_LISTENING: TListening = { a: { seconds: 0, events: [] }, b: { seconds: 0, events: [] } };

const usable = (side: TSideSnapshot) => side.status === "complete" && (side.text.trim() !== "" || side.media !== null);

export interface ArenaProps {
  statements: TPersonaStatement[];
  consent: { current: boolean; termsVersion: string; license: string };
  minListenSeconds: number;
  /** Image and text: seconds between the answers and the vote (MIN_READ_SECONDS); music waits 2 × minListenSeconds. */
  minReadSeconds: number;
  /** The battle of /arena/b/[id] (null on /arena: a new battle). */
  initialBattle?: TBattleView | null;
}

const battlePath = (battleId: string) => `/arena/b/${encodeURIComponent(battleId)}`;

/**
 * The battle page: prompt, two streamed answers, vote with feedback, reveal, follow-ups. A new battle
 * moves to its own URL (/arena/b/[id]) as soon as it starts; that page resumes a running round's
 * stream after a reload, and Back/Forward land on the battle as stored.
 */
export function Arena({ statements, consent: initialConsent, minListenSeconds, minReadSeconds, initialBattle = null }: ArenaProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const [navigating, startNavigation] = useTransition();
  const [modality, setModality] = useState<TModality>(initialBattle?.modality ?? "text");
  const [personalized, setPersonalized] = useState(true);
  const [prompt, setPrompt] = useState("");
  const [battle, setBattle] = useState<TBattleView | null>(initialBattle);
  // A battle still generating (here or in another instance) resumes its stream: the server replays everything so far.
  const [roundKey, setRoundKey] = useState<number | null>(initialBattle && (initialBattle.generating || initialBattle.status === "generating") ? 1 : null);
  const [feedback, setFeedback] = useState({ general: "", a: "", b: "" });
  const [pendingOutcome, setPendingOutcome] = useState<TVoteOutcome | null>(null);
  const [listening, setListening] = useState<TListening>(NO_LISTENING);
  const [retryingSide, setRetryingSide] = useState<TSide | null>(null);

  const consentQuery = useQuery({ ...trpc.consent.status.queryOptions(), initialData: { ...initialConsent, acceptedVersion: null, acceptedAt: null } });
  const consentCurrent = consentQuery.data.current;

  const refresh = useCallback(
    async (battleId: string) => {
      const view = await client.battle.get.query({ battleId });
      setBattle(view);
    },
    [client],
  );

  const startRound = (view: TBattleView) => {
    setBattle(view);
    setRoundKey((key) => (key ?? 0) + 1);
  };

  const onStreamEvent = useCallback(
    (event: TBattleStreamEvent) => {
      if (event.type === "end") {
        setRoundKey(null);
        // The end carries the battle as battle.get returns it now; without it (the server could not read it), ask.
        if (event.battle) setBattle(deserialize<TBattleView>(event.battle));
        else if (battle) void refresh(battle.id);
        return;
      }
      if (event.type === "ready") return;
      setBattle((current) => {
        if (!current) return current;
        const turns = current.turns.map((turn) => (turn.index === event.turnIndex ? { ...turn, sides: applyBattleEvent(turn.sides, event) } : turn));
        return { ...current, turns };
      });
    },
    [battle, refresh],
  );
  useBattleStream(battle?.id ?? null, roundKey, onStreamEvent);

  // Back/Forward may restore this page from the router's cache: read the battle as it is now.
  const initialBattleId = initialBattle?.id ?? null;
  const resuming = roundKey !== null;
  useEffect(() => {
    if (initialBattleId && !resuming) void refresh(initialBattleId).catch(() => undefined);
    // Only on arrival: later changes come from the stream and the mutations.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialBattleId]);

  const create = useMutation(
    trpc.battle.create.mutationOptions({
      // The battle page takes over (and subscribes to the stream); generation does not wait for it.
      onSuccess: (view) => startNavigation(() => router.push(battlePath(view.id))),
    }),
  );
  const followUp = useMutation(
    trpc.battle.continue.mutationOptions({
      onSuccess: (view) => {
        setPrompt("");
        startRound(view);
      },
    }),
  );
  const retry = useMutation(trpc.battle.retrySide.mutationOptions({ onSuccess: startRound, onSettled: () => setRetryingSide(null) }));
  const reveal = useMutation(trpc.battle.reveal.mutationOptions({ onSuccess: setBattle }));
  const vote = useMutation(
    trpc.battle.vote.mutationOptions({
      // The vote's answer holds the battle as stored with the vote (revealed): no refresh needed.
      onSuccess: (result) => {
        setPendingOutcome(null);
        setBattle(result.battle);
      },
    }),
  );

  const lastTurn = battle?.turns.at(-1) ?? null;
  const generating = roundKey !== null || battle?.status === "generating";
  const bothUsable = lastTurn !== null && SIDES.every((side) => usable(lastTurn.sides[side]));
  const anyFailed = lastTurn !== null && SIDES.some((side) => !usable(lastTurn.sides[side]) && lastTurn.sides[side].status !== "streaming" && lastTurn.sides[side].status !== "pending");
  const listenedEnough = battle?.modality !== "audio" || canVoteOnAudio(listening.a.seconds, listening.b.seconds, minListenSeconds);
  const answersReady = battle !== null && lastTurn !== null && !battle.vote && !generating && bothUsable;
  const floorPassed = useVoteFloor(
    answersReady ? `${battle.id}:${lastTurn.index}:${lastTurn.sides.a.attempt}:${lastTurn.sides.b.attempt}` : null,
    battle?.modality === "audio" ? 2 * minListenSeconds : minReadSeconds,
  );
  const canVote = answersReady && listenedEnough && floorPassed;
  const voteHint =
    battle === null || battle.vote
      ? null
      : generating
        ? "Voting opens when both answers are complete."
        : anyFailed
          ? "One answer failed. Retry it to vote."
          : !listenedEnough
            ? `Listen to both clips first: A — ${describeListeningProgress(listening.a.seconds, minListenSeconds)}; B — ${describeListeningProgress(listening.b.seconds, minListenSeconds)}.`
            : !floorPassed
              ? "Take a moment with both answers: voting opens in a few seconds."
              : null;

  const sendVote = (outcome: TVoteOutcome) => {
    if (!battle || vote.isPending) return;
    vote.mutate({
      battleId: battle.id,
      outcome,
      feedback: givenFeedback(feedback),
      ...(battle.modality === "audio" && { listening: { a: listening.a.events, b: listening.b.events } }),
    });
  };
  /** The first vote shows the data terms inline; the vote is sent once they are accepted. */
  const submitVote = (outcome: TVoteOutcome) => (consentCurrent ? sendVote(outcome) : setPendingOutcome(outcome));

  const newBattle = () => router.push("/arena");
  const startBattle = () => {
    if (isSendablePrompt(prompt) && !create.isPending) create.mutate({ modality, prompt, personalized });
  };
  const starting = create.isPending || create.isSuccess || navigating;

  const tab = MODALITY_TABS.find((entry) => entry.id === (battle?.modality ?? modality))!;
  const mutationError = followUp.error ?? retry.error ?? reveal.error ?? vote.error;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="tablist" aria-label="What to compare" className="inline-flex rounded-xl bg-slate-100 p-1">
          {MODALITY_TABS.map((entry) => (
            <button
              key={entry.id}
              role="tab"
              type="button"
              aria-selected={tab.id === entry.id}
              disabled={battle !== null}
              onClick={() => setModality(entry.id)}
              className={`rounded-lg px-4 py-1.5 text-sm font-medium transition ${tab.id === entry.id ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900 disabled:opacity-50"}`}
            >
              {entry.label}
            </button>
          ))}
        </div>
        {battle ? (
          <Button variant="secondary" onClick={newBattle}>
            New battle
          </Button>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="min-w-0 space-y-6">
          {battle === null ? (
            <form
              className="space-y-3"
              onSubmit={(event) => {
                event.preventDefault();
                startBattle();
              }}
            >
              <PromptField id="prompt" label="Your prompt" rows={4} placeholder={tab.placeholder} value={prompt} onChange={setPrompt} onSubmitShortcut={startBattle} />
              <div className="flex flex-wrap items-center justify-between gap-3">
                <label className="inline-flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" role="switch" checked={personalized} onChange={(event) => setPersonalized(event.target.checked)} className="h-4 w-4 rounded accent-brand-600" />
                  Personalize answers for me
                </label>
                <Button type="submit" disabled={starting || !isSendablePrompt(prompt)}>
                  {starting ? "Starting…" : "Send to both models"}
                </Button>
              </div>
              <p className="text-xs text-slate-500">Two anonymous models answer side by side. Please do not include personal data. Ctrl+Enter sends.</p>
              {create.error ? <Alert>{create.error.message}</Alert> : null}
            </form>
          ) : (
            <div className="space-y-8">
              {battle.turns.map((turn) => {
                const isLast = turn.index === lastTurn?.index;
                return (
                  <div key={turn.index} className="space-y-8">
                    <section aria-label={`Turn ${turn.index + 1}`} className="space-y-3">
                      <TurnPrompt prompt={turn.prompt} />
                      <div className="grid gap-4 md:grid-cols-2" data-testid="answer-panels">
                        {SIDES.map((side) => (
                          <AnswerPanel
                            key={side}
                            side={side}
                            modality={battle.modality}
                            snapshot={turn.sides[side]}
                            model={battle.models?.[side] ?? null}
                            winner={battle.vote?.outcome === (side === "a" ? "model_a" : "model_b")}
                            onRetry={
                              isLast && !battle.vote && !generating && !usable(turn.sides[side])
                                ? () => {
                                    setRetryingSide(side);
                                    retry.mutate({ battleId: battle.id, side });
                                  }
                                : undefined
                            }
                            retrying={retryingSide === side}
                            minListenSeconds={minListenSeconds}
                            onListeningChange={isLast ? (state) => setListening((current) => ({ ...current, [side]: state })) : undefined}
                          />
                        ))}
                      </div>
                    </section>
                    {/* The thanks box stays under the turns the vote judged, above later follow-ups. */}
                    {battle.vote && turn.index + 1 === Math.min(battle.vote.turnsJudged, battle.turns.length) ? <VoteOutcome battle={battle} /> : null}
                  </div>
                );
              })}

              {mutationError ? <Alert>{mutationError.message}</Alert> : null}

              {battle.vote ? null : pendingOutcome ? (
                <ConsentGate termsVersion={consentQuery.data.termsVersion} license={consentQuery.data.license} onCancel={() => setPendingOutcome(null)} onAccepted={() => sendVote(pendingOutcome)} />
              ) : (
                <>
                  {/* Once both answers are complete the vote bar sticks to the bottom of the screen (a phone scrolls ~1,000 px of answers). */}
                  <section
                    aria-labelledby="vote-title"
                    data-testid="vote-bar"
                    data-sticky={canVote}
                    className={`space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm ${canVote ? "sticky bottom-2 z-20 shadow-lg ring-1 ring-brand-200" : ""}`}
                  >
                    <h2 id="vote-title" className="font-semibold text-slate-900">
                      Which answer is better{battle.turns.length > 1 ? " over the whole conversation" : ""}?
                    </h2>
                    <VoteBar enabled={canVote} pending={vote.isPending} onVote={submitVote} hint={voteHint} />
                  </section>
                  <section aria-label="Feedback" className="space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
                    <details className="group" open>
                      <summary className="cursor-pointer text-sm font-medium text-slate-700">Feedback (optional)</summary>
                      <div className="mt-3 grid gap-3 md:grid-cols-3">
                        {(
                          [
                            ["general", "Overall"],
                            ["a", "About answer A"],
                            ["b", "About answer B"],
                          ] as const
                        ).map(([key, label]) => (
                          <label key={key} className="block space-y-1">
                            <span className="text-xs font-medium text-slate-600">{label}</span>
                            <textarea
                              rows={2}
                              maxLength={FEEDBACK_MAX_LENGTH}
                              className={inputClass}
                              value={feedback[key]}
                              onChange={(event) => setFeedback((current) => ({ ...current, [key]: event.target.value }))}
                            />
                          </label>
                        ))}
                      </div>
                    </details>
                    {battle.revealed ? null : (
                      <button type="button" className="text-xs text-slate-500 underline disabled:opacity-50" disabled={generating || reveal.isPending} onClick={() => reveal.mutate({ battleId: battle.id })}>
                        Skip and reveal (vote will not count)
                      </button>
                    )}
                  </section>
                </>
              )}

              {!generating && bothUsable ? (
                <form
                  className="space-y-2"
                  onSubmit={(event) => {
                    event.preventDefault();
                    if (isSendablePrompt(prompt)) followUp.mutate({ battleId: battle.id, prompt });
                  }}
                >
                  {battle.revealed ? <p className="text-xs text-amber-700">The models are revealed: follow-ups are no longer anonymous.</p> : null}
                  <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
                    <PromptField
                      id="follow-up"
                      label="Ask a follow-up"
                      labelClassName="text-sm font-medium text-slate-700"
                      rows={2}
                      placeholder="Both models see the whole conversation"
                      value={prompt}
                      onChange={setPrompt}
                    />
                    <Button type="submit" disabled={followUp.isPending || !isSendablePrompt(prompt)} className="shrink-0 whitespace-nowrap sm:mb-1">
                      {followUp.isPending ? "Sending…" : "Send follow-up"}
                    </Button>
                  </div>
                </form>
              ) : null}
            </div>
          )}
        </div>

        <aside className="space-y-4">
          <PersonaDisclosure statements={statements} personalized={battle ? battle.personalized : personalized} />
          {battle?.systemPrompt ? (
            <details className="rounded-2xl border border-slate-200 bg-white p-4 text-sm shadow-sm">
              <summary className="cursor-pointer font-medium text-slate-800">Exactly what was sent in this battle</summary>
              <pre className="mt-2 max-h-72 overflow-auto whitespace-pre-wrap text-xs text-slate-600">{battle.systemPrompt}</pre>
            </details>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
