"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { signInQuietly } from "@/components/auth/sign-in";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";

export function SignInForm({ oauthProviders, next = "/home" }: { oauthProviders: { id: string; name: string }[]; next?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const refusal = await signInQuietly("credentials", { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") });
    setPending(false);
    if (refusal !== null) return setError(refusal || "That email and password do not match an account.");
    router.push(next);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {error ? <Alert>{error}</Alert> : null}
        <TextField label="Email" name="email" type="email" autoComplete="email" required />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {oauthProviders.map((provider) => (
        <Button key={provider.id} variant="secondary" className="w-full" onClick={() => signIn(provider.id, { callbackUrl: next })}>
          Continue with {provider.name}
        </Button>
      ))}
    </div>
  );
}
