"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import { VOTE_OUTCOME_LABELS } from "@/lib/domain/vocabulary";
import { Badge, errorMessage, formatDate, LoadingRow, PageHeading } from "./admin-ui";

export function BattlesList({ userId, goldOnly }: { userId?: string; goldOnly: boolean }) {
  const trpc = useTRPC();
  const battles = useInfiniteQuery(
    trpc.adminQuality.battles.infiniteQueryOptions({ userId, goldOnly }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const items = battles.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="space-y-4">
      <PageHeading
        title={goldOnly ? "Gold battles" : "Voted battles"}
        description={userId ? "The battles of one annotator, newest first." : "Open a battle to review it or mark it as a gold check."}
        actions={
          <div className="flex gap-2 text-sm">
            <Link className="text-brand-700 hover:underline" href="/admin/battles">All</Link>
            <Link className="text-brand-700 hover:underline" href="/admin/battles?gold=1">Gold only</Link>
          </div>
        }
      />
      {battles.isPending ? <LoadingRow /> : null}
      {battles.isError ? <Alert>{errorMessage(battles.error)}</Alert> : null}
      {battles.isSuccess && items.length === 0 ? <Card><p className="text-sm text-slate-600">No battles.</p></Card> : null}
      {items.length > 0 ? (
        <Card className="p-0">
          <ul className="divide-y divide-slate-100">
            {items.map((battle) => (
              <li key={battle.id} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 text-sm">
                <div className="min-w-0 flex-1">
                  <Link href={`/admin/battles/${battle.id}`} className="block truncate font-medium text-brand-700 hover:underline">{battle.prompt || "(no prompt)"}</Link>
                  <span className="text-xs text-slate-500">
                    {battle.modelA} vs {battle.modelB} · {battle.modality} · {battle.annotatorLabel} · {formatDate(battle.createdAt)}
                  </span>
                </div>
                <span className="space-x-1">
                  {battle.outcome ? <Badge tone="retired">{VOTE_OUTCOME_LABELS[battle.outcome]}</Badge> : null}
                  {battle.countsForRating === false ? <Badge tone="flagged">not counted</Badge> : null}
                  {battle.isGold && battle.goldOutcome ? <Badge tone="gold">gold: {VOTE_OUTCOME_LABELS[battle.goldOutcome]}</Badge> : null}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {battles.hasNextPage ? (
        <Button variant="secondary" disabled={battles.isFetchingNextPage} onClick={() => battles.fetchNextPage()}>Load more</Button>
      ) : null}
    </div>
  );
}
