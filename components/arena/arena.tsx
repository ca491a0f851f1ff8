"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { AnswerPanel } from "@/components/arena/answer-panel";
import { ConsentGate } from "@/components/arena/consent-gate";
import { canVoteOnAudio, describeListeningProgress } from "@/components/arena/media/listening-gate";
import { useBattleStream } from "@/components/arena/use-battle-stream";
import { useVoteFloor } from "@/components/arena/use-vote-floor";
import { VoteBar, type TOutcome } from "@/components/arena/vote-bar";
import { PersonaDisclosure } from "@/components/persona/persona-disclosure";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { applyBattleEvent, SIDES, type TBattleStreamEvent, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";
import type { ListenEvent } from "@/lib/domain/listening";
import type { TPersonaStatement } from "@/lib/domain/persona";
import { FEEDBACK_MAX_LENGTH, PROMPT_MAX_LENGTH } from "@/lib/schemas/battle";
import type { TBattleView, TModality } from "@/lib/server/services/battles";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";

const MODALITY_TABS: Array<{ id: TModality; label: string; placeholder: string }> = [
  { id: "text", label: "Text", placeholder: "Ask anything: a question, a task, some code to explain…" },
  { id: "image", label: "Image", placeholder: "Describe an image: a lighthouse at dusk, in watercolour…" },
  { id: "audio", label: "Music", placeholder: "Describe a piece of music: calm piano with rain…" },
];

const EXCLUSION_REASONS: Record<string, string> = {
  post_reveal: "the models were revealed before you voted",
  identity_leak: "an answer revealed which model or company wrote it",
  too_fast_to_read: "it came sooner after the answers appeared than anyone could read them",
  too_fast_to_listen: "it came sooner after the clips arrived than anyone could listen to both",
  duplicate_prompt: "this exact prompt has already been rated many times, so more votes on it would skew the leaderboard",
};

type TListening = Record<TSide, { seconds: number; events: ListenEvent[] }>;
const NO_LISTENING: TListening = { a: { seconds: 0, events: [] }, b: { seconds: 0, events: [] } };

const usable = (side: TSideSnapshot) => side.status === "complete" && (side.text.trim() !== "" || side.media !== null);

export interface ArenaProps {
  statements: TPersonaStatement[];
  consent: { current: boolean; termsVersion: string; license: string };
  minListenSeconds: number;
  /** Image and text: seconds between the answers and the vote (MIN_READ_SECONDS); music waits 2 × minListenSeconds. */
  minReadSeconds: number;
}

/** The battle page: prompt, two streamed answers, vote with feedback, reveal, follow-ups. */
export function Arena({ statements, consent: initialConsent, minListenSeconds, minReadSeconds }: ArenaProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [modality, setModality] = useState<TModality>("text");
  const [personalized, setPersonalized] = useState(true);
  const [prompt, setPrompt] = useState("");
  const [battle, setBattle] = useState<TBattleView | null>(null);
  const [roundKey, setRoundKey] = useState<number | null>(null);
  const [feedback, setFeedback] = useState({ general: "", a: "", b: "" });
  const [pendingOutcome, setPendingOutcome] = useState<TOutcome | null>(null);
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
        if (battle) void refresh(battle.id);
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

  const create = useMutation(
    trpc.battle.create.mutationOptions({
      onSuccess: (view) => {
        setPrompt("");
        setFeedback({ general: "", a: "", b: "" });
        setListening(NO_LISTENING);
        startRound(view);
      },
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
      onSuccess: async (_result, input) => {
        setPendingOutcome(null);
        await refresh(input.battleId);
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

  const sendVote = (outcome: TOutcome) => {
    if (!battle || vote.isPending) return;
    vote.mutate({
      battleId: battle.id,
      outcome,
      feedback: { general: feedback.general || undefined, a: feedback.a || undefined, b: feedback.b || undefined },
      listening: battle.modality === "audio" ? { a: listening.a.events, b: listening.b.events } : undefined,
    });
  };
  /** The first vote shows the data terms inline; the vote is sent once they are accepted. */
  const submitVote = (outcome: TOutcome) => (consentCurrent ? sendVote(outcome) : setPendingOutcome(outcome));

  const newBattle = () => {
    setBattle(null);
    setRoundKey(null);
    setPrompt("");
    setFeedback({ general: "", a: "", b: "" });
    setPendingOutcome(null);
    setListening(NO_LISTENING);
    create.reset();
    vote.reset();
  };

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
                if (prompt.trim()) create.mutate({ modality, prompt, personalized });
              }}
            >
              <label htmlFor="prompt" className="sr-only">
                Your prompt
              </label>
              <textarea
                id="prompt"
                name="prompt"
                rows={4}
                maxLength={PROMPT_MAX_LENGTH}
                placeholder={tab.placeholder}
                className={`${inputClass} text-base`}
                value={prompt}
                onChange={(event) => setPrompt(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === "Enter" && (event.metaKey || event.ctrlKey) && prompt.trim()) create.mutate({ modality, prompt, personalized });
                }}
              />
              <div className="flex flex-wrap items-center justify-between gap-3">
                <label className="inline-flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" role="switch" checked={personalized} onChange={(event) => setPersonalized(event.target.checked)} className="h-4 w-4 rounded accent-brand-600" />
                  Personalize answers for me
                </label>
                <Button type="submit" disabled={create.isPending || !prompt.trim()}>
                  {create.isPending ? "Starting…" : "Send to both models"}
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
                  <section key={turn.index} aria-label={`Turn ${turn.index + 1}`} className="space-y-3">
                    <div className="ml-auto w-fit max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-br-sm bg-brand-600 px-4 py-2.5 text-sm text-white" data-testid="turn-prompt">
                      {turn.prompt}
                    </div>
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
                );
              })}

              {mutationError ? <Alert>{mutationError.message}</Alert> : null}

              {battle.vote ? (
                <VoteOutcome battle={battle} />
              ) : pendingOutcome ? (
                <ConsentGate termsVersion={consentQuery.data.termsVersion} license={consentQuery.data.license} onCancel={() => setPendingOutcome(null)} onAccepted={() => sendVote(pendingOutcome)} />
              ) : (
                <section aria-labelledby="vote-title" className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <h2 id="vote-title" className="font-semibold text-slate-900">
                      Which answer is better{battle.turns.length > 1 ? " over the whole conversation" : ""}?
                    </h2>
                    {battle.revealed ? null : (
                      <button type="button" className="text-xs text-slate-500 underline disabled:opacity-50" disabled={generating || reveal.isPending} onClick={() => reveal.mutate({ battleId: battle.id })}>
                        Skip and reveal (vote will not count)
                      </button>
                    )}
                  </div>
                  <VoteBar enabled={canVote} pending={vote.isPending} onVote={submitVote} hint={voteHint} />
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
                </section>
              )}

              {!generating && bothUsable ? (
                <form
                  className="space-y-2"
                  onSubmit={(event) => {
                    event.preventDefault();
                    if (prompt.trim()) followUp.mutate({ battleId: battle.id, prompt });
                  }}
                >
                  <label htmlFor="follow-up" className="text-sm font-medium text-slate-700">
                    Ask a follow-up
                  </label>
                  {battle.revealed ? <p className="text-xs text-amber-700">The models are revealed: follow-ups are no longer anonymous.</p> : null}
                  <div className="flex flex-col gap-2 sm:flex-row">
                    <textarea
                      id="follow-up"
                      rows={2}
                      maxLength={PROMPT_MAX_LENGTH}
                      className={inputClass}
                      placeholder="Both models see the whole conversation"
                      value={prompt}
                      onChange={(event) => setPrompt(event.target.value)}
                    />
                    <Button type="submit" disabled={followUp.isPending || !prompt.trim()} className="sm:self-start">
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

function VoteOutcome({ battle }: { battle: TBattleView }) {
  const vote = battle.vote!;
  const reasons = vote.invalidReasons.map((reason) => EXCLUSION_REASONS[reason] ?? reason);
  return (
    <section aria-label="Result" className="space-y-2 rounded-2xl border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900" data-testid="vote-result">
      <p className="font-semibold">Thanks for your vote!</p>
      {battle.models ? (
        <p>
          Model A was <strong>{battle.models.a.displayName}</strong> ({battle.models.a.organizationName}); Model B was{" "}
          <strong>{battle.models.b.displayName}</strong> ({battle.models.b.organizationName}).
        </p>
      ) : null}
      <p className="text-emerald-800">
        {vote.countsForRating ? "It counts toward the leaderboard." : `It is kept, but does not count toward the leaderboard because ${reasons.join(" and ")}.`}
      </p>
    </section>
  );
}
