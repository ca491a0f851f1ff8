"use client";

import { signIn, type SignInOptions } from "next-auth/react";

type SignInResult = Awaited<ReturnType<typeof signIn>>;

const failed = (result: SignInResult) => !result || !result.ok || Boolean(result.error) || Boolean(result.url?.includes("csrf=true"));

/**
 * Signs in without a redirect: null on success, otherwise the server's words when it gave some (a
 * throttle: "Too many sign-in attempts from here — …") or "" for a plain refusal. next-auth answers a
 * CSRF mismatch (its cookie still being set by a parallel first request) with ok=true and a `csrf=true`
 * URL rather than an error, so that case is retried once with the fresh cookie.
 */
export async function signInQuietly(provider: "guest" | "credentials", options: SignInOptions = {}): Promise<string | null> {
  let result = await signIn(provider, { ...options, redirect: false });
  if (failed(result) && !result?.error) result = await signIn(provider, { ...options, redirect: false });
  if (!failed(result)) return null;
  const error = result?.error ?? "";
  return /^Too many /.test(error) ? error : "";
}
