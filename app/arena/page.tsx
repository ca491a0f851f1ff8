import Link from "next/link";
import { Arena } from "@/components/arena/arena";
import { ArenaHeading } from "@/components/arena/arena-heading";
import { SurveyOffer } from "@/components/arena/survey-offer";
import { GuestButton } from "@/components/auth/guest-button";
import { Card } from "@/components/ui/card";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "Arena" };

export default async function ArenaPage() {
  const user = await api.auth.me();
  if (!user) {
    return (
      <Card className="mx-auto max-w-md space-y-4 text-center">
        <h1 className="text-xl font-semibold">Compare two AI models on your own prompt</h1>
        <p className="text-sm text-slate-600">Continue as a guest to start right away, or sign in to keep your history.</p>
        <div className="flex flex-col items-center gap-3">
          <GuestButton />
          <Link href="/signin" className="text-sm text-brand-600 underline">
            Sign in
          </Link>
        </div>
      </Card>
    );
  }
  const { hasPersona, props } = await api.battle.arenaProps();
  return (
    <div className="space-y-4">
      <ArenaHeading title="Arena" />
      {hasPersona ? null : <SurveyOffer />}
      <Arena {...props} />
    </div>
  );
}
