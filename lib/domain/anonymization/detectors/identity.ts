import { isCommonWord } from "./given-names";
import { placeholderFor, type Detector } from "./types";

/** The annotator's own account details, to be removed from their own texts. */
export interface OwnIdentity {
  /** Account display name ("Jane Q. Doe"). */
  name?: string | null;
  /** Account email; only its local part is searched for (the full address is an EMAIL anyway). */
  email?: string | null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Detectors for one annotator's own name and email local part.
 *
 * - the full name, then each part of it of three letters or more, as a whole word with its capital
 *   letter ("Jane", "Doe"), except parts that are common English words, which count only inside the
 *   full name (a user called "Will Rose" keeps "will" and "rose" in their prose);
 * - the email local part as a whole token, any case ("jdoe84"), and each of its dot/underscore-separated
 *   parts of four letters or more when capitalised ("jane.doe" → "Jane").
 */
export function ownIdentityDetectors(identity: OwnIdentity | undefined): Detector[] {
  if (!identity) return [];
  const detectors: Detector[] = [];
  const name = identity.name?.normalize("NFC").trim().replace(/\s+/g, " ") ?? "";
  const nameParts = name.split(" ").map((part) => part.replace(/[.,]/g, "")).filter((part) => part.length >= 3 && /^\p{L}[\p{L}'’-]*$/u.test(part));
  const local = identity.email?.split("@", 1)[0]?.trim() ?? "";
  const localParts = local.split(/[._+-]+/).filter((part) => /^\p{L}{4,}$/u.test(part));
  const capitalised = (part: string) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
  const wordTerms = [...new Set([...nameParts, ...nameParts.map(capitalised), ...localParts.map(capitalised)].filter((part) => !isCommonWord(part)))];

  if (name.length >= 3 && name.includes(" ")) {
    detectors.push({ kind: "NAME", pattern: new RegExp(`(?<![\\p{L}\\]])${escapeRegExp(name)}(?![\\p{L}[])`, "giu"), replace: () => placeholderFor("NAME") });
  }
  if (local.length >= 3 && !isCommonWord(local)) {
    detectors.push({
      kind: "USERNAME",
      pattern: new RegExp(`(?<![\\w.\\]-])${escapeRegExp(local)}(?![\\w[@-])`, "gi"),
      replace: () => placeholderFor("USERNAME"),
    });
  }
  if (wordTerms.length > 0) {
    const alternatives = wordTerms.sort((a, b) => b.length - a.length).map(escapeRegExp).join("|");
    detectors.push({ kind: "NAME", pattern: new RegExp(`(?<![\\p{L}\\]])(?:${alternatives})(?![\\p{L}[])`, "gu"), replace: () => placeholderFor("NAME") });
  }
  return detectors;
}
