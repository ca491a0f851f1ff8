import Link from "next/link";
import type { TBattleHistoryPage } from "@/lib/server/services/battle-history";
import { describeChoice } from "@/components/arena/vote-outcome";
import { MODALITY_LABELS } from "@/lib/domain/vocabulary";

const STATUS_LABELS = { generating: "Answering…", ready: "Waiting for your vote", voted: "Voted", abandoned: "Closed" } as const;
const PROMPT_PREVIEW = 160;

const preview = (prompt: string) => (prompt.length > PROMPT_PREVIEW ? `${prompt.slice(0, PROMPT_PREVIEW).trimEnd()}…` : prompt);

/** "My battles": one card per battle, newest first; models only once revealed. */
export function BattleHistory({ history }: { history: TBattleHistoryPage }) {
  if (history.total === 0) {
    return (
      <p className="text-slate-600">
        No battles yet.{" "}
        <Link href="/arena" className="text-brand-600 underline">
          Start your first one
        </Link>
        .
      </p>
    );
  }
  return (
    <div className="space-y-4">
      <ol className="space-y-3" data-testid="battle-history">
        {history.items.map((item) => (
          <li key={item.id}>
            <Link
              href={`/arena/b/${item.id}`}
              className="block space-y-1.5 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-brand-300"
              data-testid="battle-history-item"
            >
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                <span className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-700">{MODALITY_LABELS[item.modality]}</span>
                <time dateTime={item.createdAt.toISOString()}>{item.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
                {item.turnCount > 1 ? <span>{item.turnCount} turns</span> : null}
                <span>{STATUS_LABELS[item.status]}</span>
              </div>
              <p className="break-words text-sm font-medium text-slate-900">{preview(item.prompt)}</p>
              <p className="text-xs text-slate-600">
                {item.vote ? describeChoice(item.vote, item.models) : "No vote yet."}{" "}
                {item.models
                  ? `A: ${item.models.a.displayName} · B: ${item.models.b.displayName}`
                  : "Models stay hidden until you vote."}
              </p>
            </Link>
          </li>
        ))}
      </ol>
      {history.pageCount > 1 ? (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm">
          {history.page > 1 ? (
            <Link href={`/arena/history?page=${history.page - 1}`} className="text-brand-600 underline" rel="prev">
              Newer
            </Link>
          ) : (
            <span />
          )}
          <span className="text-slate-500">
            Page {history.page} of {history.pageCount}
          </span>
          {history.page < history.pageCount ? (
            <Link href={`/arena/history?page=${history.page + 1}`} className="text-brand-600 underline" rel="next">
              Older
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}
