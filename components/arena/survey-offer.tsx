import Link from "next/link";

/** Offered, never forced: an annotator without a persona can battle right away, unpersonalized. */
export function SurveyOffer() {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded-2xl border border-brand-100 bg-brand-50 px-4 py-3 text-sm text-slate-700" data-testid="survey-offer">
      <p>Answers can suit you better: take the one-minute survey (every question is optional), or just start below.</p>
      <Link href="/onboarding" className="shrink-0 rounded-lg bg-white px-3 py-1.5 font-medium text-brand-700 ring-1 ring-brand-200 hover:bg-brand-100">
        Take the survey
      </Link>
    </div>
  );
}
