"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export type HeaderUser = { label: string; isGuest: boolean } | null;

export function UserMenu({ user }: { user: HeaderUser }) {
  if (!user) {
    return (
      <div className="flex items-center gap-2">
        <Link href="/signin" className="rounded-lg px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
          Sign in
        </Link>
        <Link href="/signup" className="rounded-lg bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Create account
        </Link>
      </div>
    );
  }
  return (
    <div className="flex items-center gap-2">
      <Link href="/profile" className="max-w-40 truncate rounded-lg px-3 py-2 text-sm text-slate-700 hover:bg-slate-100" data-testid="user-label">
        {user.label}
      </Link>
      {user.isGuest ? (
        <Link href="/signup" className="rounded-lg bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Save my progress
        </Link>
      ) : null}
      <Button variant="ghost" onClick={() => signOut({ callbackUrl: "/" })}>
        Sign out
      </Button>
    </div>
  );
}
