"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { signInQuietly } from "@/components/auth/sign-in";
import { Button } from "@/components/ui/button";

/** Starts a pseudonymous guest session; the guest can claim it later by creating an account. */
export function GuestButton({ next = "/onboarding", label = "Continue as guest" }: { next?: string; label?: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <Button
        variant="secondary"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          const refusal = await signInQuietly("guest");
          setPending(false);
          if (refusal !== null) return setError(refusal || "Could not start a guest session. Please try again.");
          router.push(next);
          router.refresh();
        }}
      >
        {pending ? "Starting…" : label}
      </Button>
      {error ? <p role="alert" className="text-xs text-rose-600">{error}</p> : null}
    </div>
  );
}
