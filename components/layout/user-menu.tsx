"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export type HeaderUser = { label: string; isGuest: boolean } | null;

export function UserMenu({ user }: { user: HeaderUser }) {
  const [confirmingGuestSignOut, setConfirmingGuestSignOut] = useState(false);
  if (!user) {
    return (
      <div className="flex flex-wrap items-center gap-2">
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
    <div className="relative flex flex-wrap items-center gap-2">
      <Link href="/profile" className="max-w-40 truncate rounded-lg px-3 py-2 text-sm text-slate-700 hover:bg-slate-100" data-testid="user-label">
        {user.label}
      </Link>
      {user.isGuest ? (
        <Link href="/signup" className="rounded-lg bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Save my progress
        </Link>
      ) : null}
      <Button variant="ghost" onClick={() => (user.isGuest ? setConfirmingGuestSignOut(true) : void signOut({ callbackUrl: "/" }))}>
        Sign out
      </Button>
      {confirmingGuestSignOut ? <GuestSignOutWarning onCancel={() => setConfirmingGuestSignOut(false)} /> : null}
    </div>
  );
}

/**
 * A guest session cannot be signed into again: signing out loses its persona and votes for good.
 * The guest is told so and offered to save the progress (claim an account) first.
 */
function GuestSignOutWarning({ onCancel }: { onCancel: () => void }) {
  return (
    <div
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="guest-sign-out-title"
      aria-describedby="guest-sign-out-body"
      className="absolute right-0 top-full z-40 mt-2 w-[min(22rem,calc(100vw-2rem))] space-y-3 rounded-2xl border border-amber-200 bg-white p-4 text-sm shadow-xl"
    >
      <h2 id="guest-sign-out-title" className="font-semibold text-slate-900">
        Sign out of your guest session?
      </h2>
      <p id="guest-sign-out-body" className="text-slate-600">
        A guest session cannot be opened again. Your survey answers, battles and votes stay in the data, but you will lose access to them for good. Save
        your progress by creating an account first: everything carries over.
      </p>
      <div className="flex flex-wrap gap-2">
        <Link href="/signup" onClick={onCancel} className="rounded-lg bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Save my progress
        </Link>
        <Button variant="secondary" onClick={() => void signOut({ callbackUrl: "/" })}>
          Sign out anyway
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
