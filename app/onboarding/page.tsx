import { redirect } from "next/navigation";
import { OnboardingSurvey } from "@/components/persona/onboarding-survey";
import { Card } from "@/components/ui/card";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "About you" };

export default async function OnboardingPage() {
  const user = await api.auth.me();
  if (!user) redirect("/signin");
  const current = await api.persona.current();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Tell us a little about you</h1>
        <p className="text-slate-600">
          Under a minute, and every question is optional. Both models receive the same profile so their answers can suit you;
          you will always see exactly what was sent, and you can switch it off for any battle.
        </p>
      </div>
      <Card>
        <OnboardingSurvey initial={current?.persona ?? null} />
      </Card>
    </div>
  );
}
