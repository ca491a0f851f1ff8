import { z } from "zod";
import { MODALITIES } from "@/lib/domain/vocabulary";
import { isLeaderboardVariant, OVERALL_VARIANT } from "@/lib/server/leaderboards/variants";

/**
 * Which leaderboard is asked for: the one reading of modality and variant shared by the tRPC
 * procedures (leaderboard.*, preferenceGroups.*), the leaderboard pages and GET /api/v1/leaderboard
 * and /api/v1/preference-groups. Its messages are the public API's.
 */
export const ZModalityQuerySchema = z.object({
  modality: z.enum(MODALITIES, { message: `modality must be one of ${MODALITIES.join(", ")}` }).default("text"),
});

export const ZLeaderboardQuerySchema = ZModalityQuerySchema.extend({
  variant: z
    .string()
    .max(200)
    .refine(isLeaderboardVariant, { message: 'variant must be "overall", "style", "category:<category>" or "segment:<dimension>=<value>[,...]"' })
    .default(OVERALL_VARIANT),
});

/**
 * The same query read from a page's URL, where a hand-edited value shows the default board rather
 * than an error page.
 */
export const ZLeaderboardPageQuerySchema = z.object({
  modality: ZLeaderboardQuerySchema.shape.modality.catch("text"),
  variant: ZLeaderboardQuerySchema.shape.variant.catch(OVERALL_VARIANT),
});
