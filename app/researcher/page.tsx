import Link from "next/link";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { NextRelease } from "@/components/releases/next-release";
import { TokenManager } from "@/components/releases/token-manager";
import { env } from "@/lib/env";
import { publicOriginFor } from "@/lib/server/http/public-origin";
import { api, hasScope } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "Researcher access" };

export default async function ResearcherPage() {
  const user = await api.auth.me();
  if (!user) redirect("/signin?next=/researcher");
  if (!(await hasScope("token:manage"))) notFound();
  const [releases, next] = await Promise.all([api.release.list(), api.release.nextScheduled()]);
  // Commands are pasted into a terminal: their URLs must be absolute, on the host this page was reached by.
  const origin = publicOriginFor(await headers()) ?? "";
  const latest = releases[0];
  const exampleUrl = latest ? `${origin}/api/v1/releases/${latest.version}/battles.jsonl` : `${origin}/api/v1/releases`;
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Researcher access</h1>
        <p className="max-w-3xl text-slate-600">
          Releases are public: browse them on the{" "}
          <Link href="/releases" className="underline">
            data page
          </Link>
          . API tokens let scripts download them; only a hash of each token is stored, so copy a new token when it is shown.
        </p>
        <p className="text-sm text-slate-600">
          {latest ? (
            <>
              Latest release: <Link className="underline" href={`/releases/${latest.version}`}>{latest.version}</Link> ({latest.rowCount.toLocaleString("en")} battles).
            </>
          ) : (
            "No release has been published yet: the command below lists releases until one is."
          )}
        </p>
      </div>
      <NextRelease next={next} embargoDays={env.RELEASE_EMBARGO_DAYS} />
      <TokenManager exampleUrl={exampleUrl} />
      <p className="text-slate-600">
        Personalized-judge runs (agreement of a judge model with annotators&apos; votes, with and without their persona):{" "}
        <Link href="/researcher/judge" className="text-brand-700 underline">
          Personalized judge
        </Link>
        .
      </p>
    </div>
  );
}
