import type { StyleCounts } from "./style-control";

/**
 * LMArena's style covariates as its public dumps store them (`conv_metadata`), in FastChat's
 * order: sum_assistant_a_tokens, header_count_a, list_count_a, bold_count_a, then the `_b` twins.
 * A count is a number, or an object whose values are summed (headers per level h1…h6, ordered and
 * unordered list items, `**` and `__` bold), as FastChat's compute_style_control sums them.
 */
export const CONV_METADATA_FIELDS = [
  "sum_assistant_a_tokens",
  "header_count_a",
  "list_count_a",
  "bold_count_a",
  "sum_assistant_b_tokens",
  "header_count_b",
  "list_count_b",
  "bold_count_b",
] as const;

const count = (value: unknown): number => {
  if (typeof value === "number") return value;
  if (value && typeof value === "object") return Object.values(value).reduce((sum: number, item) => sum + (typeof item === "number" ? item : 0), 0);
  return Number.NaN;
};

/** The eight counts of one `conv_metadata` value, NaN where a field is missing or not a count. */
export function styleCountsFromMetadata(metadata: unknown, into: Float32Array, offset: number): void {
  const record = metadata && typeof metadata === "object" ? (metadata as Record<string, unknown>) : {};
  for (let k = 0; k < CONV_METADATA_FIELDS.length; k++) into[offset + k] = count(record[CONV_METADATA_FIELDS[k]]);
}

/** Side A's and side B's StyleCounts from the eight counts at `offset`; null when any is missing. */
export function styleCountsAt(values: Float32Array, offset: number): { styleA: StyleCounts; styleB: StyleCounts } | null {
  for (let k = 0; k < CONV_METADATA_FIELDS.length; k++) if (!Number.isFinite(values[offset + k])) return null;
  const side = (base: number): StyleCounts => ({ tokens: values[base], headers: values[base + 1], lists: values[base + 2], bold: values[base + 3] });
  return { styleA: side(offset), styleB: side(offset + 4) };
}
