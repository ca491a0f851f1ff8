import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { Card } from "@/components/ui/card";
import { api } from "@/lib/trpc/server";

export const metadata = { title: "Create account" };

export default async function SignUpPage() {
  const user = await api.auth.me();
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-semibold">Create your account</h1>
      <Card>
        <SignUpForm isGuest={Boolean(user?.isGuest)} />
      </Card>
      <p className="text-sm text-slate-600">
        Already have one? <Link href="/signin" className="font-medium text-brand-600 hover:underline">Sign in</Link>
      </p>
    </div>
  );
}
