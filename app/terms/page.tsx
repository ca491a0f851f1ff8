import { TermsText } from "@/components/arena/terms-text";
import { Card } from "@/components/ui/card";
import { env } from "@/lib/env";

export const metadata = { title: "Data terms" };

export default function TermsPage() {
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Data terms</h1>
      <Card>
        <TermsText termsVersion={env.TERMS_VERSION} license={env.RELEASE_LICENSE} />
      </Card>
      <p className="text-sm text-slate-500">You accept these terms before your first vote. When they change, you are asked again before voting.</p>
    </div>
  );
}
