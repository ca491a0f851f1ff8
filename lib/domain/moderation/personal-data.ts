import { SCRUB_KINDS, scrubText, type ScrubKind } from "../anonymization/scrub";

/**
 * Personal data and secrets that stop a prompt before it reaches a provider. Detection is the release
 * scrubber's (lib/domain/anonymization/scrub.ts), so what is refused here is exactly what a release would
 * have to remove. IP addresses are left out: prompts about networking quote them all the time and they
 * are rarely the sender's own.
 */
export const BLOCKING_PERSONAL_DATA_KINDS: readonly ScrubKind[] = ["EMAIL", "PHONE", "CARD", "NATIONAL_ID", "IBAN", "SECRET", "URL_WITH_SECRET"];

const DESCRIPTIONS: Record<ScrubKind, string> = {
  EMAIL: "an email address",
  PHONE: "a phone number",
  IP: "an IP address",
  URL_WITH_SECRET: "a link with a password or access token",
  CARD: "a payment card number",
  NATIONAL_ID: "a national ID number (such as a social security number)",
  IBAN: "a bank account number",
  SECRET: "an API key or other secret",
};

/** Kinds of personal data found in `text`, among `kinds`, in SCRUB_KINDS order. */
export function detectPersonalData(text: string, kinds: readonly ScrubKind[] = BLOCKING_PERSONAL_DATA_KINDS): ScrubKind[] {
  const { found } = scrubText(text);
  return SCRUB_KINDS.filter((kind) => kinds.includes(kind) && found[kind] > 0);
}

/** "an email address", "an email address and a phone number", "a, b and c". */
export function describePersonalData(kinds: readonly ScrubKind[]): string {
  const phrases = kinds.map((kind) => DESCRIPTIONS[kind]);
  if (phrases.length <= 1) return phrases[0] ?? "";
  return `${phrases.slice(0, -1).join(", ")} and ${phrases.at(-1)}`;
}
