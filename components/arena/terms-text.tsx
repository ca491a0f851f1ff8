import Link from "next/link";

/**
 * The data terms every annotator accepts before their first vote (versioned by TERMS_VERSION).
 * Shown in full on /terms and inline on the battle page; the wording is the contract, keep both in sync
 * by using this component only.
 */
export function TermsText({ termsVersion, license, compact = false }: { termsVersion: string; license: string; compact?: boolean }) {
  return (
    <div className="space-y-3 text-sm text-slate-700">
      <p>
        Persona Arena is a research platform. Your votes build public leaderboards, and the battles are published as open
        research data under the <strong>{license}</strong> license. Terms version <strong>{termsVersion}</strong>.
      </p>
      <ul className="list-disc space-y-1 pl-5">
        <li>
          <strong>What is released:</strong> your prompts, both models&apos; answers, your votes and feedback, and a
          generalized version of your persona (for example an age band, how many languages you speak or your stated
          preferences as low / middle / high; never your country, education, occupation, expertise, which languages you
          speak or your free-text &ldquo;about me&rdquo;).
        </li>
        <li>
          <strong>Pseudonymized:</strong> you appear only under a random pseudonym. Your account, email and IP address are
          never published. Please do not put personal data in prompts.
        </li>
        <li>
          <strong>Your choices:</strong> you can opt out of future releases or delete your account at any time from your
          profile. Releases that were already published are not rewritten.
        </li>
        {compact ? null : (
          <li>
            <strong>Answers are personalized:</strong> with personalization on, what you shared in the survey is sent to both
            models (you can see exactly what under &ldquo;What the models know about you&rdquo; and switch it off per battle).
          </li>
        )}
      </ul>
      {compact ? (
        <p>
          <Link href="/terms" className="text-brand-600 underline" target="_blank">
            Read the full terms
          </Link>
        </p>
      ) : null}
    </div>
  );
}
