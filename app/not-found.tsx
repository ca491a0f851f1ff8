import Link from "next/link";

export const metadata = { title: "Page not found" };

/** The 404 page: says what happened and offers the places people usually want. */
export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-xl flex-col items-center gap-6 py-16 text-center" data-testid="not-found">
      <div className="flex items-center gap-3" aria-hidden>
        <span className="flex h-20 w-16 items-center justify-center rounded-2xl bg-white text-3xl font-semibold text-slate-300 shadow-sm ring-1 ring-slate-200">4</span>
        <span className="flex h-20 w-16 items-center justify-center rounded-2xl bg-brand-600 text-3xl font-semibold text-white shadow-sm">0</span>
        <span className="flex h-20 w-16 items-center justify-center rounded-2xl bg-white text-3xl font-semibold text-slate-300 shadow-sm ring-1 ring-slate-200">4</span>
      </div>
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">This page is not here</h1>
        <p className="text-slate-600">
          The link may be mistyped, or the page belongs to someone else (battles are visible only to the person who started them).
        </p>
      </div>
      <nav aria-label="Where to go" className="flex flex-wrap justify-center gap-3">
        <Link href="/arena" className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Start a battle
        </Link>
        <Link href="/arena/history" className="rounded-lg bg-white px-4 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100">
          My battles
        </Link>
        <Link href="/leaderboard" className="rounded-lg bg-white px-4 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100">
          Leaderboard
        </Link>
      </nav>
    </div>
  );
}
