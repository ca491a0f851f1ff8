import { AdminOverview } from "@/components/admin/admin-overview";

export const metadata = { title: "Overview" };

export default function AdminHomePage() {
  return <AdminOverview />;
}
