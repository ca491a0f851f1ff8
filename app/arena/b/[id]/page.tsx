import { notFound, redirect } from "next/navigation";
import { Arena } from "@/components/arena/arena";
import { ArenaHeading } from "@/components/arena/arena-heading";
import { api, isTrpcError } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "Battle" };

/** One battle by its id: resumes a running round's stream; another user's battle is a 404. */
export default async function BattlePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await api.auth.me();
  if (!user) redirect(`/signin?next=${encodeURIComponent(`/arena/b/${id}`)}`);
  const battle = await api.battle.get({ battleId: id }).catch((error: unknown) => {
    // An id the input schema refuses names no battle either.
    if (isTrpcError(error, "NOT_FOUND", "BAD_REQUEST")) notFound();
    throw error;
  });
  const { props } = await api.battle.arenaProps();
  return (
    <div className="space-y-4">
      <ArenaHeading title="Battle" />
      <Arena key={battle.id} {...props} initialBattle={battle} />
    </div>
  );
}
