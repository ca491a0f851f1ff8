import type { TRole } from "@/lib/domain/auth/roles";

/**
 * Where a role lands after signing in: the page of its work. Annotators and guests go to the arena
 * (the persona survey is offered there, never forced).
 */
export const ROLE_HOMES: Readonly<Record<TRole, string>> = {
  guest: "/arena",
  annotator: "/arena",
  researcher: "/researcher",
  model_owner: "/dashboard",
  admin: "/admin",
};

/** Where to go after signing in: a safe same-site `next` path if one was asked for, else the role's home. */
export function landingPathFor(role: TRole, next: string | null | undefined): string {
  if (next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")) return next;
  return ROLE_HOMES[role];
}
