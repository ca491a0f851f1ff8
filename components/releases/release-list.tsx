import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { TReleaseSummary } from "@/lib/server/services/releases";
import { ReleaseFilesTable } from "./release-files-table";

const day = (date: Date) => date.toISOString().slice(0, 10);

export function ReleaseList({ releases }: { releases: readonly TReleaseSummary[] }) {
  if (releases.length === 0) return <p className="text-slate-600">No release has been published yet.</p>;
  return (
    <ul className="space-y-6">
      {releases.map((release) => (
        <li key={release.version}>
          <Card className="space-y-3">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="text-lg font-semibold">
                <Link className="underline" href={`/releases/${release.version}`}>
                  Release {release.version}
                </Link>
              </h2>
              <span className="text-sm text-slate-600">
                {release.rowCount.toLocaleString("en")} battles · votes from {day(release.windowStart)} to {day(new Date(release.windowEnd.getTime() - 1))} · k = {release.kAnonymity} ·{" "}
                {release.downloadCount.toLocaleString("en")} downloads
              </span>
            </div>
            {release.simulated ? (
              <p className="text-sm font-medium text-sky-900" data-testid="release-simulated">
                Simulated demo data: built from votes of simulated annotators, not people.
              </p>
            ) : null}
            <ReleaseFilesTable version={release.version} files={release.files} />
          </Card>
        </li>
      ))}
    </ul>
  );
}
