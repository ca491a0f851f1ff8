import { redirect } from "next/navigation";
import { landingPathFor } from "@/lib/domain/auth/role-home";
import { isRole } from "@/lib/domain/auth/roles";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";

/** After sign-in: each role's home (admins /admin, owners /dashboard, researchers /researcher, others /arena). */
export default async function HomeRedirect({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const user = await api.auth.me();
  if (!user) redirect("/signin");
  redirect(landingPathFor(isRole(user.role) ? user.role : "annotator", (await searchParams).next));
}
