import type { Metadata } from "next";
import Link from "next/link";
import { SimulatedDataNote } from "@/components/demo/simulated-data-note";
import { OwnerDashboardView } from "@/components/owner/owner-dashboard";
import { Alert, Card } from "@/components/ui/card";
import { hasAccess, isRole } from "@/lib/domain/auth/roles";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { countSimulatedVotes } from "@/lib/server/services/demo-history";
import { getOwnerDashboard, listDashboardOrganizations } from "@/lib/server/services/owner-dashboard";
import { getCurrentUser } from "@/lib/server/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My models" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await getCurrentUser();
  if (!user) {
    return (
      <Card className="text-center">
        <p className="text-slate-700">Sign in with your model-owner account to see your models.</p>
        <Link href="/signin?callbackUrl=/dashboard" className="mt-3 inline-block text-brand-700 underline">Sign in</Link>
      </Card>
    );
  }
  if (!isRole(user.role) || !hasAccess(user.role, "owner:dashboard")) {
    return <Alert>This page is for model owners. Ask an administrator to add you to your organization.</Alert>;
  }
  const organizations = await listDashboardOrganizations(db, user);
  if (organizations.length === 0) return <Alert tone="info">You are not a member of any organization yet.</Alert>;
  const requested = (await searchParams).org;
  const organizationId = (Array.isArray(requested) ? requested[0] : requested) ?? organizations[0].id;
  try {
    const [dashboard, simulatedVotes] = await Promise.all([getOwnerDashboard(db, user, organizationId), countSimulatedVotes(db)]);
    return (
      <div className="space-y-4">
        <SimulatedDataNote votes={simulatedVotes} subject="arena's votes" />
        <OwnerDashboardView organizations={organizations} dashboard={dashboard} />
      </div>
    );
  } catch (error) {
    if (error instanceof AppError && (error.code === "FORBIDDEN" || error.code === "NOT_FOUND")) return <Alert>{error.message}</Alert>;
    throw error;
  }
}
