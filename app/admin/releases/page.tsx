import { notFound, redirect } from "next/navigation";
import { AdminReleasesPanel } from "@/components/releases/admin-releases-panel";
import { previousPeriod } from "@/lib/server/releases/window";
import { api, hasScope } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "Releases · Admin" };

export default async function AdminReleasesPage() {
  const user = await api.auth.me();
  if (!user) redirect("/signin");
  if (!(await hasScope("release:publish"))) notFound();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Releases</h1>
      <AdminReleasesPanel defaultWindow={previousPeriod(new Date(), "monthly").version} />
    </div>
  );
}
