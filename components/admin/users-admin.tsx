"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { ROLE_LABELS } from "@/lib/domain/auth/roles";
import { useTRPC } from "@/lib/trpc/react";
import { Badge, errorMessage, formatDate, LoadingRow, PageHeading, selectClass } from "./admin-ui";

const ASSIGNABLE = ["annotator", "researcher", "model_owner", "admin"] as const;

type TUser = {
  id: string;
  email: string | null;
  name: string | null;
  role: string;
  bannedAt: Date | null;
  deletedAt: Date | null;
  votesExcludedAt: Date | null;
  memberships: { organizationId: string; organizationName: string; role: "owner" | "member" }[];
};

function UserRow({ user, organizations, onChanged }: { user: TUser; organizations: { id: string; name: string }[]; onChanged: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [organizationId, setOrganizationId] = useState("");
  const [membershipRole, setMembershipRole] = useState<"owner" | "member">("owner");
  const options = { onSuccess: onChanged };
  const changeRole = useMutation(trpc.adminUsers.changeRole.mutationOptions(options));
  const setMembership = useMutation(trpc.adminUsers.setMembership.mutationOptions(options));
  const removeMembership = useMutation(trpc.adminUsers.removeMembership.mutationOptions(options));
  const setBanned = useMutation(trpc.adminUsers.setBanned.mutationOptions(options));
  const failed = [changeRole, setMembership, removeMembership, setBanned].find((mutation) => mutation.isError);
  const deleted = Boolean(user.deletedAt);
  const label = user.email ?? user.name ?? user.id;

  return (
    <li className="space-y-3 py-4" data-testid="admin-user-row">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <span className="font-medium">{label}</span>
          {user.name && user.email ? <span className="ml-2 text-xs text-slate-500">{user.name}</span> : null}
          <span className="ml-2 space-x-1">
            {user.bannedAt ? <Badge tone="flagged">banned {formatDate(user.bannedAt)}</Badge> : null}
            {deleted ? <Badge tone="retired">deleted</Badge> : null}
            {user.votesExcludedAt ? <Badge tone="excluded">votes excluded</Badge> : null}
          </span>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <select
            aria-label={`Role of ${label}`}
            className={selectClass}
            value={user.role}
            disabled={deleted || changeRole.isPending}
            onChange={(event) => changeRole.mutate({ userId: user.id, role: event.target.value as (typeof ASSIGNABLE)[number] })}
          >
            {ASSIGNABLE.map((role) => <option key={role} value={role}>{ROLE_LABELS[role]}</option>)}
          </select>
          <Button variant={user.bannedAt ? "secondary" : "danger"} disabled={deleted || setBanned.isPending} onClick={() => setBanned.mutate({ userId: user.id, banned: !user.bannedAt })}>
            {user.bannedAt ? "Unban" : "Ban"}
          </Button>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600">Organizations:</span>
        {user.memberships.length === 0 ? <span className="text-slate-500">none</span> : null}
        {user.memberships.map((membership) => (
          <span key={membership.organizationId} className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs">
            {membership.organizationName} ({membership.role})
            <button
              type="button"
              className="text-rose-700 hover:underline"
              aria-label={`Remove ${label} from ${membership.organizationName}`}
              disabled={deleted}
              onClick={() => removeMembership.mutate({ userId: user.id, organizationId: membership.organizationId })}
            >
              ×
            </button>
          </span>
        ))}
        <select aria-label={`Organization to add ${label} to`} className={selectClass} value={organizationId} onChange={(event) => setOrganizationId(event.target.value)} disabled={deleted}>
          <option value="">Add to organization…</option>
          {organizations.map((organization) => <option key={organization.id} value={organization.id}>{organization.name}</option>)}
        </select>
        <select aria-label="Membership role" className={selectClass} value={membershipRole} onChange={(event) => setMembershipRole(event.target.value as "owner" | "member")} disabled={deleted}>
          <option value="owner">owner</option>
          <option value="member">member</option>
        </select>
        <Button variant="secondary" disabled={deleted || !organizationId || setMembership.isPending} onClick={() => setMembership.mutate({ userId: user.id, organizationId, role: membershipRole })}>
          Add
        </Button>
      </div>
      {failed ? <p role="alert" className="text-xs text-rose-600">{errorMessage(failed.error)}</p> : null}
    </li>
  );
}

export function UsersAdmin() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const [submitted, setSubmitted] = useState("");
  const users = useQuery(trpc.adminUsers.search.queryOptions({ query: submitted }));
  const organizations = useQuery(trpc.adminModels.organizations.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.adminUsers.search.queryKey() });

  return (
    <div className="space-y-4">
      <PageHeading title="Users & organizations" description="Roles, organization memberships (model owners see their organization's dashboard) and bans. Every change is audited." />
      <form
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          setSubmitted(query);
        }}
      >
        <input className={inputClass} type="search" aria-label="Search users by email" placeholder="Search by email" value={query} onChange={(event) => setQuery(event.target.value)} />
        <Button type="submit">Search</Button>
      </form>
      <Card>
        {users.isPending ? <LoadingRow /> : null}
        {users.isError ? <Alert>{errorMessage(users.error)}</Alert> : null}
        {users.data?.length === 0 ? <p className="text-sm text-slate-600">No account matches.</p> : null}
        <ul className="divide-y divide-slate-100">
          {users.data?.map((user) => <UserRow key={user.id} user={user} organizations={organizations.data ?? []} onChanged={refresh} />)}
        </ul>
      </Card>
    </div>
  );
}
