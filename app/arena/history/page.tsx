import { redirect } from "next/navigation";
import { z } from "zod";
import { BattleHistory } from "@/components/arena/battle-history";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "My battles" };

const ZPageSchema = z.coerce.number().int().min(1).catch(1);

export default async function BattleHistoryPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await api.auth.me();
  if (!user) redirect("/signin?next=/arena/history");
  const page = ZPageSchema.parse((await searchParams).page);
  const history = await api.battle.history({ page });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">My battles</h1>
        <p className="text-sm text-slate-600">
          {history.total.toLocaleString("en")} battle{history.total === 1 ? "" : "s"}. Open one to see its answers, vote, or continue it.
        </p>
      </div>
      <BattleHistory history={history} />
    </div>
  );
}
