import { isPromptCategory } from "@/lib/domain/categories";
import { parseSegmentKey, SEGMENT_VARIANT_PREFIX, segmentKey, type TSegmentCondition } from "@/lib/domain/leaderboard/segments";

/** The names of a modality's leaderboards: "overall", "style" (text), "category:<category>" (text) and "segment:<key>". */

export const OVERALL_VARIANT = "overall";
export const STYLE_VARIANT = "style";
export const CATEGORY_VARIANT_PREFIX = "category:";

export const segmentVariant = (conditions: readonly TSegmentCondition[]) => `${SEGMENT_VARIANT_PREFIX}${segmentKey(conditions)}`;

/** Whether `variant` names a leaderboard variant ("overall", "style", "category:<category>" or "segment:<key>"). */
export function isLeaderboardVariant(variant: string): boolean {
  return (
    variant === OVERALL_VARIANT ||
    variant === STYLE_VARIANT ||
    (variant.startsWith(CATEGORY_VARIANT_PREFIX) && isPromptCategory(variant.slice(CATEGORY_VARIANT_PREFIX.length))) ||
    (variant.startsWith(SEGMENT_VARIANT_PREFIX) && parseSegmentKey(variant.slice(SEGMENT_VARIANT_PREFIX.length)) !== null)
  );
}
