import { regionOfCountry } from "../anonymization/countries";
import { AGE_BAND_OPTIONS, EXPERTISE_OPTIONS, PREFER_NOT_TO_SAY, type TPersona, type TPreferenceKey } from "../persona/schema";

/**
 * Persona segments of the leaderboard: a segment is a conjunction of conditions on the persona of
 * the annotator who cast the vote ("region=Europe", "region=Europe,age=25-34").
 *
 * Invariants:
 * - a persona yields at most one condition per dimension, so a key never repeats a dimension;
 * - keys list their conditions in SEGMENT_DIMENSIONS order, so one segment has exactly one key;
 * - unknown or "prefer not to say" answers yield no condition (such votes count only globally).
 */
const SEGMENT_DIMENSIONS = ["region", "age", "expertise", "factuality", "creativity", "detail", "safety"] as const;
type TSegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/** Stated preferences (0–100 sliders) that define "high"/"low" segments. */
const SEGMENT_PREFERENCES = ["factuality", "creativity", "detail", "safety"] as const satisfies readonly TPreferenceKey[];
/** A stated preference is "high" at or above this value and "low" at or below PREFERENCE_LOW_MAX. */
const PREFERENCE_HIGH_MIN = 67;
const PREFERENCE_LOW_MAX = 33;

export const REGIONS = ["Africa", "Americas", "Asia", "Europe", "Oceania"] as const;

export interface TSegmentCondition {
  dimension: TSegmentDimension;
  value: string;
}

const DIMENSION_LABELS: Record<TSegmentDimension, string> = {
  region: "Region",
  age: "Age",
  expertise: "Expertise",
  factuality: "Values factuality",
  creativity: "Values creativity",
  detail: "Values detail",
  safety: "Values safety",
};

const VALUES_BY_DIMENSION: Record<TSegmentDimension, readonly string[]> = {
  region: REGIONS,
  age: AGE_BAND_OPTIONS.map((option) => option.value),
  expertise: EXPERTISE_OPTIONS.map((option) => option.value),
  factuality: ["high", "low"],
  creativity: ["high", "low"],
  detail: ["high", "low"],
  safety: ["high", "low"],
};

function isSegmentDimension(value: string): value is TSegmentDimension {
  return (SEGMENT_DIMENSIONS as readonly string[]).includes(value);
}

function preferenceLevel(value: number | typeof PREFER_NOT_TO_SAY | undefined): "high" | "low" | null {
  if (typeof value !== "number") return null;
  if (value >= PREFERENCE_HIGH_MIN) return "high";
  if (value <= PREFERENCE_LOW_MAX) return "low";
  return null;
}

/** The persona's conditions, one per known dimension, in SEGMENT_DIMENSIONS order. */
export function personaSegmentConditions(persona: TPersona): TSegmentCondition[] {
  const conditions: TSegmentCondition[] = [];
  const region = typeof persona.country === "string" && persona.country !== PREFER_NOT_TO_SAY ? regionOfCountry(persona.country)?.region : undefined;
  if (region && (REGIONS as readonly string[]).includes(region)) conditions.push({ dimension: "region", value: region });
  if (persona.ageBand && persona.ageBand !== PREFER_NOT_TO_SAY) conditions.push({ dimension: "age", value: persona.ageBand });
  if (persona.expertise && persona.expertise !== PREFER_NOT_TO_SAY) conditions.push({ dimension: "expertise", value: persona.expertise });
  for (const key of SEGMENT_PREFERENCES) {
    const level = preferenceLevel(persona.preferences?.[key]);
    if (level) conditions.push({ dimension: key, value: level });
  }
  return conditions;
}

/** Canonical key: conditions sorted by dimension, `dimension=value` joined by commas. */
export function segmentKey(conditions: readonly TSegmentCondition[]): string {
  return [...conditions]
    .sort((x, y) => SEGMENT_DIMENSIONS.indexOf(x.dimension) - SEGMENT_DIMENSIONS.indexOf(y.dimension))
    .map(({ dimension, value }) => `${dimension}=${value}`)
    .join(",");
}

/**
 * Parses a key such as "region=Europe,age=25-34"; null when a dimension is unknown, repeated or
 * has a value outside its known values. Returns the conditions in canonical order.
 */
export function parseSegmentKey(key: string): TSegmentCondition[] | null {
  if (key.length === 0) return null;
  const conditions: TSegmentCondition[] = [];
  for (const part of key.split(",")) {
    const [dimension, value, extra] = part.split("=");
    if (extra !== undefined || !dimension || !value || !isSegmentDimension(dimension)) return null;
    if (!VALUES_BY_DIMENSION[dimension].includes(value)) return null;
    if (conditions.some((condition) => condition.dimension === dimension)) return null;
    conditions.push({ dimension, value });
  }
  return conditions.sort((x, y) => SEGMENT_DIMENSIONS.indexOf(x.dimension) - SEGMENT_DIMENSIONS.indexOf(y.dimension));
}

/** The key of each single condition of a persona class's key ("region=Europe,age=25-34" → "region=Europe", "age=25-34"); none for an unknown key. */
export const conditionKeysOf = (classKey: string): string[] => (parseSegmentKey(classKey) ?? []).map((condition) => segmentKey([condition]));

/** Whether a persona with `personaConditions` belongs to the segment (every condition holds). */
export function personaInSegment(personaConditions: readonly TSegmentCondition[], segment: readonly TSegmentCondition[]): boolean {
  return segment.every((wanted) => personaConditions.some((held) => held.dimension === wanted.dimension && held.value === wanted.value));
}

function valueLabel(condition: TSegmentCondition): string {
  if (condition.dimension === "age") return AGE_BAND_OPTIONS.find((option) => option.value === condition.value)?.label ?? condition.value;
  if (condition.dimension === "expertise") return EXPERTISE_OPTIONS.find((option) => option.value === condition.value)?.label ?? condition.value;
  return condition.value;
}

/** Human label: "Region: Europe · Age: 25–34 · Values creativity: high". */
export function segmentLabel(conditions: readonly TSegmentCondition[]): string {
  return conditions.map((condition) => `${DIMENSION_LABELS[condition.dimension]}: ${valueLabel(condition)}`).join(" · ");
}

/** Every single-condition segment, in dimension order: the fixed set stored as snapshot variants. */
export function singleConditionSegments(): TSegmentCondition[][] {
  return SEGMENT_DIMENSIONS.flatMap((dimension) => VALUES_BY_DIMENSION[dimension].map((value) => [{ dimension, value }]));
}

/**
 * Segments to try for "people like you", most specific first: every non-empty subset of the
 * persona's conditions, larger subsets before smaller, ties in SEGMENT_DIMENSIONS order of their
 * first differing dimension. The caller takes the first with enough votes.
 */
export function personalSegmentCandidates(conditions: readonly TSegmentCondition[]): TSegmentCondition[][] {
  const ordered = parseSegmentKey(segmentKey(conditions)) ?? [];
  const subsets: TSegmentCondition[][] = [];
  for (let mask = (1 << ordered.length) - 1; mask > 0; mask--) {
    subsets.push(ordered.filter((_, index) => mask & (1 << (ordered.length - 1 - index))));
  }
  return subsets.sort((x, y) => y.length - x.length || (segmentKey(x) < segmentKey(y) ? -1 : 1));
}

export const SEGMENT_VARIANT_PREFIX = "segment:";
