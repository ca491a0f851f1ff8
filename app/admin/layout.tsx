import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { Alert } from "@/components/ui/card";
import { api, hasScope } from "@/lib/trpc/server";

export const metadata = { title: { default: "Admin", template: "%s · Admin · Persona Arena" } };
export const dynamic = "force-dynamic";

/** Every admin page: signed-in administrators only (the procedures check again on every call). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await api.auth.me();
  if (!user || user.isGuest) redirect("/signin");
  if (!(await hasScope("registry:manage"))) {
    return <Alert>This area is for administrators. Your account does not have access to it.</Alert>;
  }
  return (
    <div className="space-y-6">
      <AdminNav />
      {children}
    </div>
  );
}
