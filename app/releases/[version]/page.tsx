import { notFound } from "next/navigation";
import { ReleaseCard } from "@/components/releases/release-card";
import { SimulatedDataNote } from "@/components/demo/simulated-data-note";
import { ReleaseFilesTable } from "@/components/releases/release-files-table";
import { Card } from "@/components/ui/card";
import { db } from "@/lib/server/db";
import { getRelease } from "@/lib/server/services/releases";

export const dynamic = "force-dynamic";

export default async function ReleasePage({ params }: { params: Promise<{ version: string }> }) {
  const { version } = await params;
  const release = /^\d{4}-(\d{2}|W\d{2})$/.test(version) ? await getRelease(db, version) : null;
  if (!release) notFound();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Release {release.version}</h1>
      <p className="text-slate-600">
        {release.rowCount.toLocaleString("en")} battles · k = {release.kAnonymity} · published {release.publishedAt?.toISOString().slice(0, 10)} ·{" "}
        {release.downloadCount.toLocaleString("en")} downloads
      </p>
      {release.simulated ? <SimulatedDataNote votes={release.manifest?.simulated_battles ?? release.rowCount} subject="battles of this release" /> : null}
      <Card>
        <ReleaseFilesTable version={release.version} files={release.files} />
      </Card>
      {release.card ? (
        <Card>
          <ReleaseCard markdown={release.card} />
        </Card>
      ) : null}
    </div>
  );
}
