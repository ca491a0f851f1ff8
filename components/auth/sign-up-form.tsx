"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { signInQuietly } from "@/components/auth/sign-in";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { ZSignUpSchema } from "@/lib/schemas/auth";
import { useTRPC } from "@/lib/trpc/react";

type FieldErrors = Partial<Record<"email" | "password" | "name", string>>;

export function SignUpForm({ isGuest, next = "/arena" }: { isGuest: boolean; next?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? ""), name: String(form.get("name") ?? "") || undefined };
    setFormError(null);
    const parsed = ZSignUpSchema.safeParse(input);
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) errors[issue.path[0] as keyof FieldErrors] ??= issue.message;
      return setFieldErrors(errors);
    }
    setFieldErrors({});
    try {
      await signUp.mutateAsync(parsed.data);
    } catch (error) {
      const data = (error as { data?: { fieldErrors?: FieldErrors | null } }).data;
      if (data?.fieldErrors) return setFieldErrors(data.fieldErrors);
      return setFormError(error instanceof Error ? error.message : "Could not create the account.");
    }
    const signInError = await signInQuietly("credentials", { email: parsed.data.email, password: parsed.data.password });
    if (signInError !== null) return setFormError("Your account was created, but signing in failed. Please sign in.");
    router.push(next);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {isGuest ? <Alert tone="info">You are browsing as a guest. Your persona, battles and votes will move to your new account.</Alert> : null}
      {formError ? <Alert>{formError}</Alert> : null}
      <TextField label="Name (optional)" name="name" autoComplete="nickname" error={fieldErrors.name} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <TextField label="Password" name="password" type="password" autoComplete="new-password" required error={fieldErrors.password} hint="At least 10 characters." />
      <Button type="submit" className="w-full" disabled={signUp.isPending}>
        {signUp.isPending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
