"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";

/** Profile section: opt out of future data releases (or back in). Published releases stay as they are. */
export function ReleaseOptOutSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const preference = useQuery(trpc.account.releasePreference.queryOptions());
  const update = useMutation(
    trpc.account.setReleaseOptOut.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.account.releasePreference.queryKey(), data),
    }),
  );
  const optedOut = preference.data?.optedOut ?? false;
  return (
    <Card className="space-y-3" aria-labelledby="data-release-heading">
      <h2 id="data-release-heading" className="text-lg font-semibold">Data release</h2>
      <p className="text-sm text-slate-600">
        Anonymized votes, prompts, answers and a generalized persona are published in research releases. You can opt out of
        future releases at any time; releases already published are not changed.
      </p>
      {preference.data && !preference.data.consented ? (
        <p className="text-sm text-slate-600">You have not accepted the data terms, so none of your votes are released.</p>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <span className="text-sm" data-testid="release-status">
            {optedOut ? "Your votes are left out of future releases." : "Your votes are included in future releases."}
          </span>
          <Button variant="secondary" disabled={preference.isPending || update.isPending} onClick={() => update.mutate({ optOut: !optedOut })}>
            {optedOut ? "Include my votes again" : "Opt out of future releases"}
          </Button>
        </div>
      )}
      {update.error ? <Alert>{update.error.message}</Alert> : null}
    </Card>
  );
}
