import { SimulatedDataNote } from "@/components/demo/simulated-data-note";
import { headers } from "next/headers";
import { NextRelease } from "@/components/releases/next-release";
import { ReleaseList } from "@/components/releases/release-list";
import { env } from "@/lib/env";
import { publicOriginFor } from "@/lib/server/http/public-origin";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "Data releases" };

export default async function ReleasesPage() {
  const [releases, next] = await Promise.all([api.release.list(), api.release.nextScheduled()]);
  const indexUrl = `${publicOriginFor(await headers()) ?? ""}/api/v1/releases`;
  const simulated = releases.filter((release) => release.simulated).length;
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Data releases</h1>
        <p className="max-w-3xl text-slate-600">
          Anonymized battles and votes, published in immutable, versioned releases (JSONL, CSV and Parquet) under an open
          license. Anyone may download them; researchers can also script downloads with an API token. The index is at{" "}
          <a className="break-all underline" href="/api/v1/releases">{indexUrl}</a>.
        </p>
      </div>
      <SimulatedDataNote votes={simulated} subject="releases listed here (marked below)" />
      <NextRelease next={next} embargoDays={env.RELEASE_EMBARGO_DAYS} />
      <ReleaseList releases={releases} />
    </div>
  );
}
