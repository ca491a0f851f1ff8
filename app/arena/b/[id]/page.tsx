import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { Arena } from "@/components/arena/arena";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { getBattleView } from "@/lib/server/services/battles";
import { getCurrentUser } from "@/lib/server/session";
import { loadArenaProps } from "../../arena-props";

export const dynamic = "force-dynamic";
export const metadata = { title: "Battle" };

/** One battle by its id: resumes a running round's stream; another user's battle is a 404. */
export default async function BattlePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?next=${encodeURIComponent(`/arena/b/${id}`)}`);
  const battle = await getBattleView(db, user.id, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { props } = await loadArenaProps(user.id);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Battle</h1>
        <Link href="/arena/history" className="text-sm text-brand-600 underline">
          My battles
        </Link>
      </div>
      <Arena key={battle.id} {...props} initialBattle={battle} />
    </div>
  );
}
