import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CopyCommand } from "@/components/releases/copy-command";
import { ReleaseCard } from "@/components/releases/release-card";
import { SimulatedDataNote } from "@/components/demo/simulated-data-note";
import { ReleaseFilesTable } from "@/components/releases/release-files-table";
import { Card } from "@/components/ui/card";
import { publicOriginFor } from "@/lib/server/http/public-origin";
import { api, isTrpcError } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";

export default async function ReleasePage({ params }: { params: Promise<{ version: string }> }) {
  const { version } = await params;
  // A version that is not a month or a week names no release.
  const release = await api.release.byVersion({ version }).catch((error: unknown) => {
    if (isTrpcError(error, "BAD_REQUEST")) return null;
    throw error;
  });
  if (!release) notFound();
  const origin = publicOriginFor(await headers()) ?? "";
  const dataFile = release.files.find((file) => file.name === "battles.parquet") ?? release.files[0];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Release {release.version}</h1>
      <p className="text-slate-600">
        {release.rowCount.toLocaleString("en")} battles · k = {release.kAnonymity} · published {release.publishedAt?.toISOString().slice(0, 10)} ·{" "}
        {release.downloadCount.toLocaleString("en")} downloads
      </p>
      {release.simulated ? <SimulatedDataNote votes={release.manifest?.simulated_battles ?? release.rowCount} subject="battles of this release" /> : null}
      <Card className="space-y-3">
        <ReleaseFilesTable version={release.version} files={release.files} />
        {dataFile ? <CopyCommand command={`curl -fSLO ${origin}/api/v1/releases/${release.version}/${dataFile.name}`} /> : null}
      </Card>
      {release.card ? (
        <Card>
          <ReleaseCard markdown={release.card} />
        </Card>
      ) : null}
    </div>
  );
}
