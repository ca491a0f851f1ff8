import { AuditLogView } from "@/components/admin/audit-log";

export const metadata = { title: "Audit log" };

export default function AdminAuditPage() {
  return <AuditLogView />;
}
