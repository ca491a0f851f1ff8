import { BattlesList } from "@/components/admin/battles-list";

export const metadata = { title: "Battles" };

export default async function AdminBattlesPage({ searchParams }: { searchParams: Promise<{ user?: string; gold?: string }> }) {
  const { user, gold } = await searchParams;
  return <BattlesList userId={typeof user === "string" && user ? user : undefined} goldOnly={gold === "1"} />;
}
