"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";

const CONFIRMATION = "delete my account";

/** Profile section: delete the account after typing a confirmation; signs out afterwards. */
export function DeleteAccountSection() {
  const trpc = useTRPC();
  const [typed, setTyped] = useState("");
  const remove = useMutation(trpc.account.delete.mutationOptions({ onSuccess: () => void signOut({ callbackUrl: "/" }) }));
  return (
    <Card className="space-y-3 border-rose-200" aria-labelledby="delete-account-heading">
      <h2 id="delete-account-heading" className="text-lg font-semibold text-rose-800">Delete my account</h2>
      <p className="text-sm text-slate-600">
        This erases your email, name, password, persona, prompts and written feedback, revokes your API tokens and leaves your
        votes out of every future release. Releases already published are not rewritten. This cannot be undone.
      </p>
      <form
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          remove.mutate({ confirmation: typed });
        }}
      >
        <TextField label={`Type "${CONFIRMATION}" to confirm`} name="confirmation" value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" />
        <Button type="submit" variant="danger" disabled={typed.trim().toLowerCase() !== CONFIRMATION || remove.isPending}>
          Delete my account
        </Button>
      </form>
      {remove.error ? <Alert>{remove.error.message}</Alert> : null}
    </Card>
  );
}
