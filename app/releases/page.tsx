import { SimulatedDataNote } from "@/components/demo/simulated-data-note";
import { ReleaseList } from "@/components/releases/release-list";
import { db } from "@/lib/server/db";
import { listReleases } from "@/lib/server/services/releases";

export const dynamic = "force-dynamic";
export const metadata = { title: "Data releases" };

export default async function ReleasesPage() {
  const releases = await listReleases(db);
  const simulated = releases.filter((release) => release.simulated).length;
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Data releases</h1>
        <p className="max-w-3xl text-slate-600">
          Anonymized battles and votes, published in immutable, versioned releases (JSONL, CSV and Parquet) under an open
          license. Anyone may download them; researchers can also script downloads with an API token. The index is at{" "}
          <a className="underline" href="/api/v1/releases">/api/v1/releases</a>.
        </p>
      </div>
      <SimulatedDataNote votes={simulated} subject="releases listed here (marked below)" />
      <ReleaseList releases={releases} />
    </div>
  );
}
