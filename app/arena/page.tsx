import Link from "next/link";
import { redirect } from "next/navigation";
import { Arena } from "@/components/arena/arena";
import { GuestButton } from "@/components/auth/guest-button";
import { Card } from "@/components/ui/card";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { getConsentStatus } from "@/lib/server/services/consent";
import { describeCurrentPersona } from "@/lib/server/services/personas";
import { getCurrentUser } from "@/lib/server/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Arena" };

export default async function ArenaPage() {
  const user = await getCurrentUser();
  if (!user) {
    return (
      <Card className="mx-auto max-w-md space-y-4 text-center">
        <h1 className="text-xl font-semibold">Compare two AI models on your own prompt</h1>
        <p className="text-sm text-slate-600">Continue as a guest to start right away, or sign in to keep your history.</p>
        <div className="flex flex-col items-center gap-3">
          <GuestButton />
          <Link href="/signin" className="text-sm text-brand-600 underline">
            Sign in
          </Link>
        </div>
      </Card>
    );
  }
  const [disclosure, consent] = await Promise.all([describeCurrentPersona(db, user.id), getConsentStatus(db, user.id)]);
  // The survey comes first (it can be skipped, which saves an empty persona).
  if (disclosure.version === null) redirect("/onboarding");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Arena</h1>
      <Arena
        statements={disclosure.statements}
        consent={{ current: consent.current, termsVersion: consent.termsVersion, license: consent.license }}
        minListenSeconds={env.MIN_LISTEN_SECONDS}
        minReadSeconds={env.MIN_READ_SECONDS}
      />
    </div>
  );
}
