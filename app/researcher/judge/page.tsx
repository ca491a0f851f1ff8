import { notFound, redirect } from "next/navigation";
import { JudgeRunsPanel } from "@/components/judge/judge-runs-panel";
import { api, hasScope, isTrpcError } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "Personalized judge" };

/** Judge runs for researchers and admins; admins also start them here. */
export default async function JudgePage() {
  const user = await api.auth.me();
  if (!user) redirect("/signin");
  if (!(await hasScope("release:download"))) notFound();
  // Only admins start runs: the judge.models procedure's refusal is what hides the form.
  const judgeModels = await api.judge.models().catch((error: unknown) => {
    if (isTrpcError(error, "FORBIDDEN")) return null;
    throw error;
  });
  const canStart = judgeModels !== null;
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Personalized judge</h1>
        <p className="max-w-3xl text-slate-600">
          Can a model predict how this annotator voted, given their persona? Each run samples voted battles and asks the judge twice, with and without the persona as the
          models saw it, then compares agreement with the human votes — overall and only where the judge is at least this certain — against the preference-group model
          and the global leaderboard. The offline demo judge is a scripted stand-in: real conclusions need a real model.
        </p>
      </div>
      <JudgeRunsPanel canStart={canStart} judgeModels={judgeModels ?? []} />
    </div>
  );
}
