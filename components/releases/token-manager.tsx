"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CopyCommand } from "@/components/releases/copy-command";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { FormCard } from "@/components/ui/form-card";
import { useTRPC } from "@/lib/trpc/react";

/** Researcher API tokens: create (shown once, with a ready-to-paste download command), list by prefix, revoke. */
export function TokenManager({ exampleUrl }: { exampleUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const tokens = useQuery(trpc.token.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.token.list.queryKey() });
  const create = useMutation(trpc.token.create.mutationOptions({ onSuccess: () => (setName(""), refresh()) }));
  const revoke = useMutation(trpc.token.revoke.mutationOptions({ onSuccess: refresh }));
  return (
    <div className="space-y-6">
      <FormCard
        title="Create a token"
        onSubmit={() => create.mutate({ name })}
        outcome={
          <>
            {create.error ? <Alert>{create.error.message}</Alert> : null}
            {create.data ? (
              <Alert tone="success">
                <p className="font-medium">Copy your token now: it is shown only once.</p>
                <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="new-token">{create.data.token}</code>
                <p className="mt-3 text-xs">Download with it from a terminal:</p>
                <div className="mt-1">
                  <CopyCommand command={`curl -fSLO -H "Authorization: Bearer ${create.data.token}" ${exampleUrl}`} />
                </div>
              </Alert>
            ) : null}
          </>
        }
      >
        <div className="w-72">
          <TextField label="Name" name="token-name" value={name} maxLength={80} onChange={(event) => setName(event.target.value)} hint="Where you will use it, e.g. “lab server”." />
        </div>
        <Button type="submit" disabled={create.isPending || name.trim().length === 0}>Create token</Button>
      </FormCard>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">Your tokens</h2>
        {tokens.data?.length === 0 ? <p className="text-sm text-slate-600">No tokens yet.</p> : null}
        <ul className="divide-y divide-slate-100">
          {(tokens.data ?? []).map((token) => (
            <li key={token.id} className="flex flex-wrap items-center justify-between gap-3 py-2 text-sm">
              <span>
                <span className="font-medium">{token.name}</span> <code className="font-mono text-xs text-slate-600">{token.prefix}…</code>
                <span className="ml-2 text-xs text-slate-500">
                  created {token.createdAt.toISOString().slice(0, 10)}
                  {token.lastUsedAt ? `, last used ${token.lastUsedAt.toISOString().slice(0, 10)}` : ", never used"}
                </span>
              </span>
              {token.revokedAt ? (
                <span className="text-xs text-slate-500">revoked</span>
              ) : (
                <Button variant="secondary" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: token.id })}>Revoke</Button>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
