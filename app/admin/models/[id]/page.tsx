import { ModelEditor } from "@/components/admin/model-editor";

export const metadata = { title: "Edit model" };

export default async function EditModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ModelEditor modelId={id} />;
}
