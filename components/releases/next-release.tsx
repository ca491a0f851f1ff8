import type { TNextRelease } from "@/lib/server/releases/schedule";

const minute = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const day = (date: Date) => date.toISOString().slice(0, 10);

/** When the next release is due (or that releases are published on demand). */
export function NextRelease({ next, embargoDays }: { next: TNextRelease; embargoDays: number }) {
  return (
    <p className="rounded-xl border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700" data-testid="next-release">
      {next.scheduled ? (
        <>
          <span className="font-medium">Next release: {next.version}</span> (votes from {day(next.windowStart)} to {day(new Date(next.windowEnd.getTime() - 1))}), due{" "}
          <time dateTime={next.dueAt.toISOString()}>{minute(next.dueAt)}</time>. Releases are {next.cadence}; each one waits {embargoDays} days after its window
          ends, so the newest votes are never published at once.
        </>
      ) : (
        <>Releases are published by the administrators on demand; none is scheduled.</>
      )}
    </p>
  );
}
