import Link from "next/link";
import { SignInForm } from "@/components/auth/sign-in-form";
import { GuestButton } from "@/components/auth/guest-button";
import { Card } from "@/components/ui/card";
import { enabledOAuthProviders } from "@/lib/server/auth/options";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; callbackUrl?: string }> }) {
  // `callbackUrl` is where next-auth itself sends people back to; /home keeps only same-site paths.
  const { next = undefined, callbackUrl = undefined } = await searchParams;
  const asked = next ?? callbackUrl;
  // /home sends each role to its own page (or to a safe `next`).
  const landing = asked ? `/home?next=${encodeURIComponent(asked)}` : "/home";
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <Card>
        <SignInForm oauthProviders={enabledOAuthProviders} next={landing} />
      </Card>
      <div className="flex items-center justify-between text-sm text-slate-600">
        <Link href="/signup" className="font-medium text-brand-600 hover:underline">Create an account</Link>
        <GuestButton />
      </div>
    </div>
  );
}
