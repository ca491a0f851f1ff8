/**
 * Readable audit log entries: a sentence for each action and "Label: value" lines for the details
 * the services record (see lib/server/audit.ts). Unknown actions and keys still read sensibly:
 * "thing.do_it" → "Thing: do it", "someKey" → "Some key".
 */

const ACTION_SENTENCES: Readonly<Record<string, string>> = {
  "account.delete": "Deleted an account",
  "battle.gold_mark": "Marked a gold battle",
  "battle.gold_clear": "Cleared a gold battle",
  "membership.set": "Set an organization membership",
  "membership.remove": "Removed an organization membership",
  "model.create": "Registered a model",
  "model.update": "Edited a model",
  "model.pause": "Paused a model",
  "model.resume": "Resumed a model",
  "model.retire": "Retired a model",
  "model.test": "Tested a model",
  "model.assign_organization": "Moved a model to another organization",
  "organization.create": "Created an organization",
  "release.publish": "Published a release",
  "user.role_change": "Changed a user's role",
  "user.ban": "Banned a user",
  "user.unban": "Lifted a user's ban",
  "user.votes_excluded": "Excluded a user's votes",
  "user.votes_included": "Restored a user's votes",
};

const KEY_LABELS: Readonly<Record<string, string>> = {
  k: "k-anonymity",
  rowCount: "Battles",
  changedFields: "Changed",
  latencyMs: "Latency",
  failureKind: "Failure",
  providerKind: "Provider",
  ok: "Result",
  organizationId: "Organization id",
};

/** Ids already shown by the target column, or too internal to help a reader. */
const HIDDEN_KEYS: ReadonlySet<string> = new Set(["organizationId"]);

const sentenceCase = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);
const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replaceAll("_", " ").toLowerCase();

/** A sentence for an action ("model.retire" → "Retired a model"). */
export function describeAuditAction(action: string): string {
  const known = ACTION_SENTENCES[action];
  if (known) return known;
  const [subject = action, verb] = action.split(".");
  return verb ? `${sentenceCase(words(subject))}: ${words(verb)}` : sentenceCase(words(subject));
}

function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (key === "ok" && typeof value === "boolean") return value ? "passed" : "failed";
  if (key === "latencyMs" && typeof value === "number") return `${Math.round(value).toLocaleString("en")} ms`;
  if (typeof value === "number") return value.toLocaleString("en");
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length === 0 ? "nothing" : value.map((item) => (typeof item === "string" ? words(item) : formatValue("", item))).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([inner, innerValue]) => `${words(inner)} ${formatValue(inner, innerValue)}`)
      .join(", ");
  }
  return String(value).replaceAll("_", " ");
}

/** "Label: value" lines for an entry's details; a from/to pair reads "Changed: from → to". */
export function describeAuditDetails(details: unknown): string[] {
  if (!details || typeof details !== "object" || Array.isArray(details)) return details == null ? [] : [formatValue("", details)];
  const entries = Object.entries(details as Record<string, unknown>).filter(([key]) => !HIDDEN_KEYS.has(key));
  const lines: string[] = [];
  const record = details as Record<string, unknown>;
  if ("from" in record && "to" in record) lines.push(`Changed: ${formatValue("from", record.from)} → ${formatValue("to", record.to)}`);
  for (const [key, value] of entries) {
    if ((key === "from" || key === "to") && "from" in record && "to" in record) continue;
    lines.push(`${KEY_LABELS[key] ?? sentenceCase(words(key))}: ${formatValue(key, value)}`);
  }
  return lines;
}
