"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { signInQuietly } from "@/components/auth/sign-in";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";

/**
 * Profile section: a new password. Every session of the account ends (other devices too), so this one
 * signs in again with the new password at once.
 */
export function ChangePasswordSection({ email }: { email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [done, setDone] = useState(false);
  const change = useMutation(trpc.account.changePassword.mutationOptions());

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get("newPassword") ?? "");
    setDone(false);
    await change.mutateAsync({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword });
    formElement.reset();
    const error = await signInQuietly("credentials", { email, password: newPassword });
    if (error !== null) return router.push("/signin");
    setDone(true);
    router.refresh();
  }

  return (
    <Card className="space-y-3" aria-labelledby="change-password-heading">
      <h2 id="change-password-heading" className="text-lg font-semibold">Change my password</h2>
      <p className="text-sm text-slate-600">Every other session of your account (other browsers and devices) is signed out.</p>
      <form className="space-y-3" onSubmit={(event) => void onSubmit(event).catch(() => undefined)} noValidate>
        <TextField label="Current password" name="currentPassword" type="password" autoComplete="current-password" required />
        <TextField label="New password" name="newPassword" type="password" autoComplete="new-password" required hint="At least 10 characters." />
        <Button type="submit" disabled={change.isPending}>
          {change.isPending ? "Saving…" : "Change password"}
        </Button>
      </form>
      {change.error ? <Alert>{change.error.message}</Alert> : null}
      {done ? <p role="status" className="text-sm text-emerald-700">Your password was changed.</p> : null}
    </Card>
  );
}
