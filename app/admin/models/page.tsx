import { ModelList } from "@/components/admin/model-list";
import { OrganizationsPanel } from "@/components/admin/organizations-panel";

export const metadata = { title: "Models" };

export default function AdminModelsPage() {
  return (
    <div className="space-y-8">
      <ModelList />
      <OrganizationsPanel />
    </div>
  );
}
