import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { TokenManager } from "@/components/releases/token-manager";
import { hasAccess, isRole } from "@/lib/domain/auth/roles";
import { getCurrentUser } from "@/lib/server/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Researcher access" };

export default async function ResearcherPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  if (!isRole(user.role) || !hasAccess(user.role, "token:manage")) notFound();
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Researcher access</h1>
        <p className="max-w-3xl text-slate-600">
          API tokens let scripts download releases. Only a hash of each token is stored: copy a new token when it is shown.
        </p>
      </div>
      <TokenManager exampleUrl="/api/v1/releases/2026-11/battles.parquet" />
      <p className="text-slate-600">
        Personalized-judge runs (agreement of a judge model with annotators&apos; votes, with and without their persona):{" "}
        <Link href="/researcher/judge" className="text-brand-700 underline">
          Personalized judge
        </Link>
        .
      </p>
    </div>
  );
}
