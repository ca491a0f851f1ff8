import Link from "next/link";

/** The title row of the arena pages, with the way to one's earlier battles. */
export function ArenaHeading({ title }: { title: string }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-2">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <Link href="/arena/history" className="text-sm text-brand-600 underline">
        My battles
      </Link>
    </div>
  );
}
