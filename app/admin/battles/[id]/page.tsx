import { BattleDetail } from "@/components/admin/battle-detail";

export const metadata = { title: "Battle" };

export default async function AdminBattlePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BattleDetail battleId={id} />;
}
