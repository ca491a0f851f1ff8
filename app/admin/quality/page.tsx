import { QualityTable } from "@/components/admin/quality-table";

export const metadata = { title: "Vote quality" };

export default function AdminQualityPage() {
  return <QualityTable />;
}
