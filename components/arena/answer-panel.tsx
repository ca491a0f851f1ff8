"use client";

import type { TSide, TSideSnapshot } from "@/lib/domain/battle/stream-events";
import type { ListenEvent } from "@/lib/domain/listening";
import type { TModality } from "@/lib/domain/vocabulary";
import { AudioResponse } from "@/components/arena/media/audio-response";
import { ImageResponse } from "@/components/arena/media/image-response";
import { AnswerMarkdown } from "@/components/arena/answer-markdown";
import { Button } from "@/components/ui/button";

interface TPanelModel {
  displayName: string;
  organizationName: string;
}

export interface AnswerPanelProps {
  side: TSide;
  modality: TModality;
  snapshot: TSideSnapshot;
  /** Set after the reveal. */
  model: TPanelModel | null;
  /** Offered for the newest turn when this side failed. */
  onRetry?: () => void;
  retrying?: boolean;
  minListenSeconds?: number;
  onListeningChange?: (state: { seconds: number; events: ListenEvent[] }) => void;
  winner?: boolean;
}

const ERROR_TITLES: Record<string, string> = {
  timeout: "This model took too long to answer.",
  http_error: "This model's service returned an error.",
  rate_limited: "This model is overloaded right now.",
  bad_response: "This model sent an answer we could not read.",
  stream_cut: "The answer was cut off mid-way.",
  empty: "This model returned an empty answer.",
  config: "This model is misconfigured.",
  interrupted: "The answer was interrupted.",
  internal: "Something went wrong on our side.",
};

function sideLabel(side: TSide) {
  return side === "a" ? "Model A" : "Model B";
}

/** One side of a turn: the streamed answer (markdown, image or music), its error with a retry, and the revealed name. */
export function AnswerPanel({ side, modality, snapshot, model, onRetry, retrying, minListenSeconds, onListeningChange, winner }: AnswerPanelProps) {
  const streaming = snapshot.status === "streaming" || snapshot.status === "pending";
  const emptyAnswer = snapshot.status === "complete" && snapshot.text.trim() === "" && !snapshot.media;
  const failed = snapshot.status === "error" || emptyAnswer;
  return (
    <article
      aria-label={sideLabel(side)}
      data-testid={`answer-${side}`}
      data-status={failed ? "error" : snapshot.status}
      className={`flex min-w-0 flex-col rounded-2xl border bg-white shadow-sm ${winner ? "border-2 border-emerald-500 ring-4 ring-emerald-100" : "border-slate-200"}`}
    >
      <header className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-2.5">
        <div className="min-w-0">
          <h3 className="flex items-center gap-2 text-sm font-semibold text-slate-900">
            {sideLabel(side)}
            {winner ? (
              <span className="rounded-full bg-emerald-600 px-2 py-0.5 text-[11px] font-semibold text-white" data-testid={`winner-${side}`}>
                ✓ Your pick
              </span>
            ) : null}
          </h3>
          {model ? (
            <p className="truncate text-xs text-slate-600" data-testid={`model-name-${side}`}>
              {model.displayName} <span className="text-slate-400">·</span> {model.organizationName}
            </p>
          ) : null}
        </div>
        <span className="shrink-0 text-xs text-slate-500" aria-live="polite">
          {streaming ? (
            <span className="inline-flex items-center gap-1.5">
              <span className="h-2 w-2 animate-pulse rounded-full bg-brand-500" aria-hidden /> Answering…
            </span>
          ) : failed ? (
            <span className="font-medium text-rose-700">Failed</span>
          ) : snapshot.status === "complete" ? (
            "Done"
          ) : null}
        </span>
      </header>
      <div className="min-h-32 flex-1 px-4 py-3">
        {modality === "text" ? (
          snapshot.text ? <AnswerMarkdown text={snapshot.text} /> : streaming ? <p className="text-sm text-slate-400">Waiting for the first words…</p> : null
        ) : snapshot.media ? (
          modality === "image" ? (
            <ImageResponse src={`/api/media/${snapshot.media.sha256}`} alt={`Image from ${sideLabel(side)}`} />
          ) : (
            <AudioResponse src={`/api/media/${snapshot.media.sha256}`} label={`Clip ${side.toUpperCase()}`} minListenSeconds={minListenSeconds} onListeningChange={onListeningChange} />
          )
        ) : streaming ? (
          <div className="flex aspect-square max-h-80 w-full animate-pulse items-center justify-center rounded-xl bg-slate-100 text-sm text-slate-400">Generating…</div>
        ) : null}
        {failed ? (
          <div role="alert" className="mt-3 space-y-2 rounded-lg border border-rose-200 bg-rose-50 px-3 py-2.5 text-sm text-rose-800">
            <p className="font-medium">{ERROR_TITLES[snapshot.errorKind ?? (emptyAnswer ? "empty" : "")] ?? "This answer failed."}</p>
            {snapshot.errorMessage ? <p className="text-xs text-rose-700">{snapshot.errorMessage}</p> : null}
            <p className="text-xs">A failed answer cannot be judged.{onRetry ? " Retry it to keep this battle going." : ""}</p>
            {onRetry ? (
              <Button variant="secondary" onClick={onRetry} disabled={retrying} className="text-xs">
                {retrying ? "Retrying…" : "Retry this side"}
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
    </article>
  );
}
