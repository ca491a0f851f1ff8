import { SCRUB_KINDS, scrubText, type ScrubKind } from "../anonymization/scrub";

/**
 * Personal data and secrets that stop a text before it is stored or reaches a provider. Detection is the
 * release scrubber's (lib/domain/anonymization/scrub.ts), so what is refused here is exactly what a
 * release would have to remove.
 *
 * Prompts, follow-ups and feedback refuse every kind except IP addresses (prompts about networking quote
 * them all the time and they are rarely the sender's own) and people's names (prompts about people are
 * ordinary; names are replaced in releases instead). Free-text persona fields are about the annotator and
 * are sent to models, so they refuse every kind, names and IPs included.
 */
export const BLOCKING_PERSONAL_DATA_KINDS: readonly ScrubKind[] = [
  "EMAIL",
  "PHONE",
  "CARD",
  "NATIONAL_ID",
  "IBAN",
  "SECRET",
  "URL_WITH_SECRET",
  "PRIVATE_KEY",
  "PASSWORD",
  "ADDRESS",
];

export const PERSONA_BLOCKING_KINDS: readonly ScrubKind[] = SCRUB_KINDS.filter((kind) => kind !== "USERNAME");

const DESCRIPTIONS: Record<ScrubKind, string> = {
  EMAIL: "an email address",
  PHONE: "a phone number",
  IP: "an IP address",
  URL_WITH_SECRET: "a link with a password or access token",
  CARD: "a payment card number",
  NATIONAL_ID: "a national ID number (such as a social security number or CPF)",
  IBAN: "a bank account number",
  SECRET: "an API key or other secret",
  PRIVATE_KEY: "a private key",
  PASSWORD: "a password",
  ADDRESS: "a street address",
  NAME: "a person's name",
  USERNAME: "your user name",
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

/** The person-facing message for one field: "Your occupation seems to contain a street address. …". */
export function personalDataFieldMessage(fieldLabel: string, kinds: readonly ScrubKind[]): string {
  return `${fieldLabel} seems to contain ${describePersonalData(kinds)}. Please remove personal data before saving.`;
}
