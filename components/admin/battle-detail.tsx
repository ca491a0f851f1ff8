"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { AnswerMarkdown } from "@/components/arena/answer-markdown";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import { VOTE_OUTCOME_LABELS, VOTE_OUTCOMES, type TVoteOutcome } from "@/lib/domain/vocabulary";
import { Badge, errorMessage, formatDate, LoadingRow, PageHeading, selectClass } from "./admin-ui";

function SideAnswer({ side }: { side: { side: "a" | "b"; status: string; text: string | null; mediaSha256: string | null; mediaMime: string | null; errorKind: string | null; errorMessage: string | null; latencyMs: number | null } }) {
  const mediaUrl = side.mediaSha256 ? `/api/media/${encodeURIComponent(side.mediaSha256)}` : null;
  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-500">
        {side.status}{side.latencyMs !== null ? ` · ${side.latencyMs} ms` : ""}
      </p>
      {side.errorKind ? <Alert>Failed ({side.errorKind}): {side.errorMessage ?? "no message"}</Alert> : null}
      {mediaUrl && side.mediaMime?.startsWith("image/") ? <img src={mediaUrl} alt={`Answer ${side.side.toUpperCase()}`} className="max-h-80 rounded-lg ring-1 ring-slate-200" /> : null}
      {mediaUrl && side.mediaMime?.startsWith("audio/") ? <audio controls src={mediaUrl} className="w-full" /> : null}
      {side.text ? <AnswerMarkdown text={side.text} /> : null}
    </div>
  );
}

function GoldControl({ battleId, isGold, goldOutcome, canMark }: { battleId: string; isGold: boolean; goldOutcome: TVoteOutcome | null; canMark: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<TVoteOutcome>(goldOutcome ?? "model_a");
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.adminQuality.battle.queryKey({ battleId }) });
  const mark = useMutation(trpc.adminQuality.markGold.mutationOptions({ onSuccess }));
  const clear = useMutation(trpc.adminQuality.clearGold.mutationOptions({ onSuccess }));
  const failed = mark.isError ? mark.error : clear.isError ? clear.error : null;
  return (
    <Card className="space-y-3">
      <h2 className="text-lg font-semibold">Gold check</h2>
      <p className="text-sm text-slate-600">
        A gold battle is served to other annotators as an attention check (a small share of battles, GOLD_BATTLE_SHARE); their votes are compared with the expected outcome.
      </p>
      {isGold && goldOutcome ? <p><Badge tone="gold">gold: {VOTE_OUTCOME_LABELS[goldOutcome]}</Badge></p> : null}
      {canMark ? (
        <div className="flex flex-wrap items-center gap-2">
          <select aria-label="Expected outcome" className={selectClass} value={outcome} onChange={(event) => setOutcome(event.target.value as TVoteOutcome)}>
            {VOTE_OUTCOMES.map((key) => <option key={key} value={key}>{VOTE_OUTCOME_LABELS[key]}</option>)}
          </select>
          <Button disabled={mark.isPending} onClick={() => mark.mutate({ battleId, goldOutcome: outcome })}>{isGold ? "Update gold outcome" : "Mark as gold"}</Button>
          {isGold ? <Button variant="ghost" disabled={clear.isPending} onClick={() => clear.mutate({ battleId })}>Remove gold mark</Button> : null}
        </div>
      ) : (
        <p className="text-sm text-slate-600">Only a voted battle whose answers all completed can be a gold battle.</p>
      )}
      {failed ? <p role="alert" className="text-xs text-rose-600">{errorMessage(failed)}</p> : null}
    </Card>
  );
}

export function BattleDetail({ battleId }: { battleId: string }) {
  const trpc = useTRPC();
  const battle = useQuery(trpc.adminQuality.battle.queryOptions({ battleId }));
  if (battle.isPending) return <LoadingRow />;
  if (battle.isError) return <Alert>{errorMessage(battle.error)}</Alert>;
  const data = battle.data;
  const allComplete = data.turns.every((turn) => turn.sides.every((side) => side.status === "complete"));
  return (
    <div className="space-y-6">
      <PageHeading
        title={`Battle ${data.publicId}`}
        description={`${data.modality} · ${data.status} · ${data.personalized ? "personalized" : "not personalized"} · by ${data.annotator.label} · ${formatDate(data.createdAt)}`}
      />
      <Card className="space-y-2">
        <h2 className="text-lg font-semibold">Vote</h2>
        {data.vote ? (
          <div className="space-y-1 text-sm">
            <p>
              <Badge tone="retired">{VOTE_OUTCOME_LABELS[data.vote.outcome]}</Badge>{" "}
              {data.vote.countsForRating ? <Badge tone="active">counts for ratings</Badge> : <Badge tone="flagged">does not count</Badge>}{" "}
              {data.annotator.votesExcludedAt ? <Badge tone="excluded">annotator excluded</Badge> : null}
            </p>
            {data.vote.invalidReasons.length > 0 ? <p>Validity reasons: {data.vote.invalidReasons.join(", ")}</p> : null}
            <p className="text-slate-600">
              Voted {formatDate(data.vote.createdAt)}{data.vote.secondsToVote !== null ? `, ${data.vote.secondsToVote.toFixed(1)} s after the answers finished` : ""}
            </p>
            {data.vote.feedbackGeneral ? <p><span className="font-medium">Feedback:</span> {data.vote.feedbackGeneral}</p> : null}
            {data.vote.feedbackA ? <p><span className="font-medium">On A:</span> {data.vote.feedbackA}</p> : null}
            {data.vote.feedbackB ? <p><span className="font-medium">On B:</span> {data.vote.feedbackB}</p> : null}
          </div>
        ) : (
          <p className="text-sm text-slate-600">No vote.</p>
        )}
      </Card>
      {data.turns.map((turn) => (
        <Card key={turn.index} className="space-y-4">
          <div>
            <h2 className="text-sm font-semibold text-slate-500">Turn {turn.index + 1} prompt</h2>
            <p className="whitespace-pre-wrap" data-testid="battle-prompt">{turn.prompt}</p>
            {turn.systemPrompt ? (
              <details className="mt-2 text-xs text-slate-600">
                <summary>System prompt (persona) sent</summary>
                <pre className="mt-1 whitespace-pre-wrap">{turn.systemPrompt}</pre>
              </details>
            ) : null}
          </div>
          <div className="grid gap-4 md:grid-cols-2">
            {turn.sides.map((side) => {
              const model = data.models[side.side];
              return (
                <div key={side.side} className="rounded-lg border border-slate-200 p-3">
                  <h3 className="font-medium">
                    {side.side.toUpperCase()}: {model.displayName} <span className="text-xs text-slate-500">({model.slug}, {model.organizationName})</span>
                  </h3>
                  <SideAnswer side={side} />
                </div>
              );
            })}
          </div>
        </Card>
      ))}
      <GoldControl battleId={data.id} isGold={data.isGold} goldOutcome={data.goldOutcome} canMark={Boolean(data.vote) && allComplete} />
    </div>
  );
}
