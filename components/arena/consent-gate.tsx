"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TermsText } from "@/components/arena/terms-text";
import { useTRPC } from "@/lib/trpc/react";

/** The data terms, inline before the first vote; accepting records a ConsentRecord and then continues. */
export function ConsentGate({ termsVersion, license, onAccepted, onCancel }: { termsVersion: string; license: string; onAccepted: () => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accept = useMutation(
    trpc.consent.accept.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.consent.status.queryKey() });
        onAccepted();
      },
    }),
  );
  return (
    <section aria-labelledby="consent-title" className="space-y-4 rounded-2xl border border-brand-100 bg-brand-50 p-5">
      <h2 id="consent-title" className="font-semibold text-slate-900">
        Before your first vote
      </h2>
      <TermsText termsVersion={termsVersion} license={license} compact />
      {accept.error ? <Alert>{accept.error.message}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => accept.mutate({ termsVersion })} disabled={accept.isPending}>
          {accept.isPending ? "Saving…" : "I agree, submit my vote"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Not now
        </Button>
      </div>
    </section>
  );
}
