import { ModelForm } from "@/components/admin/model-form";

export const metadata = { title: "Register a model" };

export default function NewModelPage() {
  return <ModelForm />;
}
