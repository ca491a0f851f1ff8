import type { Metadata } from "next";
import Link from "next/link";
import { SimulatedDataNote } from "@/components/demo/simulated-data-note";
import { OwnerDashboardView } from "@/components/owner/owner-dashboard";
import { Alert, Card } from "@/components/ui/card";
import { api, isTrpcError } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My models" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const organizations = await api.owner.organizations().catch((error: unknown) => {
    if (isTrpcError(error, "UNAUTHORIZED")) return "signed-out" as const;
    if (isTrpcError(error, "FORBIDDEN")) return "not-an-owner" as const;
    throw error;
  });
  if (organizations === "signed-out") {
    return (
      <Card className="text-center">
        <p className="text-slate-700">Sign in with your model-owner account to see your models.</p>
        <Link href="/signin?callbackUrl=/dashboard" className="mt-3 inline-block text-brand-700 underline">Sign in</Link>
      </Card>
    );
  }
  if (organizations === "not-an-owner") return <Alert>This page is for model owners. Ask an administrator to add you to your organization.</Alert>;
  if (organizations.length === 0) return <Alert tone="info">You are not a member of any organization yet.</Alert>;
  const requested = (await searchParams).org;
  const organizationId = (Array.isArray(requested) ? requested[0] : requested) ?? organizations[0].id;
  try {
    const [dashboard, simulatedVotes] = await Promise.all([api.owner.dashboard({ organizationId }), api.stats.simulatedVotes()]);
    return (
      <div className="space-y-4">
        <SimulatedDataNote votes={simulatedVotes} subject="arena's votes" />
        <OwnerDashboardView organizations={organizations} dashboard={dashboard} />
      </div>
    );
  } catch (error) {
    if (isTrpcError(error, "FORBIDDEN", "NOT_FOUND")) return <Alert>{error.message}</Alert>;
    // An ?org= the input schema refuses (empty, too long) names no organization.
    if (isTrpcError(error, "BAD_REQUEST")) return <Alert>This organization was not found.</Alert>;
    throw error;
  }
}
