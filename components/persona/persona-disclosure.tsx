import Link from "next/link";
import type { TPersonaStatement } from "@/lib/domain/persona";

/** "What the models know about you": exactly the statements a personalized battle sends. */
export function PersonaDisclosure({ statements, personalized, editHref = "/profile" }: { statements: TPersonaStatement[]; personalized: boolean; editHref?: string }) {
  return (
    <section aria-labelledby="disclosure-title" className="rounded-2xl border border-slate-200 bg-white p-4 text-sm shadow-sm" data-testid="persona-disclosure">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="disclosure-title" className="font-semibold text-slate-900">
          What the models know about you
        </h2>
        <Link href={editHref} className="text-xs text-brand-600 underline">
          Edit
        </Link>
      </div>
      {!personalized ? (
        <p className="mt-2 text-slate-600">Personalization is off for this battle: nothing about you is sent.</p>
      ) : statements.length === 0 ? (
        <p className="mt-2 text-slate-600">Nothing: you have not shared anything, so both models get no profile.</p>
      ) : (
        <ul className="mt-2 space-y-1 text-slate-700">
          {statements.map((statement) => (
            <li key={statement.key}>
              <span className="text-slate-500">{statement.label}:</span> {statement.value}
            </li>
          ))}
        </ul>
      )}
      {personalized && statements.length > 0 ? (
        <p className="mt-2 text-xs text-slate-500" data-testid="experiment-note">
          In some battles only one of the two models sees this, chosen at random, so that we can measure how much
          personalization helps each model. You are never told which one.
        </p>
      ) : null}
    </section>
  );
}
