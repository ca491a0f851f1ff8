import Link from "next/link";
import { GuestButton } from "@/components/auth/guest-button";
import { Card } from "@/components/ui/card";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const [user, stats] = await Promise.all([api.auth.me(), api.stats.arena()]);
  const steps = [
    ["Tell us a little about you", "A one-minute survey. Every question is optional."],
    ["Ask anything", "Two anonymous models answer side by side, personalized to you."],
    ["Vote, then see who answered", "Your vote shapes public leaderboards and open research data."],
  ];
  return (
    <div className="space-y-12">
      <section className="grid gap-8 md:grid-cols-[3fr_2fr] md:items-center">
        <div className="space-y-5">
          <h1 className="text-4xl font-semibold tracking-tight text-slate-900 sm:text-5xl">Which AI answers <span className="text-brand-600">you</span> best?</h1>
          <p className="max-w-xl text-lg text-slate-600">
            Persona Arena compares AI models on your own prompts. Answers are personalized to who you are, you vote blind,
            and the votes become open leaderboards and anonymized research data.
          </p>
          <div className="flex flex-wrap items-start gap-3">
            {user ? (
              <Link href="/arena" className="rounded-lg bg-brand-600 px-5 py-2.5 text-sm font-medium text-white hover:bg-brand-700">Start a battle</Link>
            ) : (
              <>
                <Link href="/signup" className="rounded-lg bg-brand-600 px-5 py-2.5 text-sm font-medium text-white hover:bg-brand-700">Create an account</Link>
                <GuestButton label="Try it as a guest" />
              </>
            )}
          </div>
        </div>
        <Card className="grid grid-cols-2 gap-4 text-center">
          <Stat label="Text models" value={stats.modelsByModality.text ?? 0} />
          <Stat label="Image models" value={stats.modelsByModality.image ?? 0} />
          <Stat label="Music models" value={stats.modelsByModality.audio ?? 0} />
          <Stat label="Votes cast" value={stats.votes} />
        </Card>
      </section>
      <section className="grid gap-4 sm:grid-cols-3">
        {steps.map(([title, body], index) => (
          <Card key={title}>
            <p className="text-sm font-semibold text-brand-600">Step {index + 1}</p>
            <h2 className="mt-1 font-semibold">{title}</h2>
            <p className="mt-1 text-sm text-slate-600">{body}</p>
          </Card>
        ))}
      </section>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <div className="text-3xl font-semibold tabular-nums">{value.toLocaleString("en")}</div>
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
    </div>
  );
}
