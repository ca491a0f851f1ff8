import { notFound, redirect } from "next/navigation";
import { Arena } from "@/components/arena/arena";
import { ArenaHeading } from "@/components/arena/arena-heading";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { getBattleView } from "@/lib/server/services/battles";
import { loadArenaProps } from "@/lib/server/services/arena-page";
import { getCurrentUser } from "@/lib/server/session";

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
  const { props } = await loadArenaProps(db, user.id);
  return (
    <div className="space-y-4">
      <ArenaHeading title="Battle" />
      <Arena key={battle.id} {...props} initialBattle={battle} />
    </div>
  );
}
