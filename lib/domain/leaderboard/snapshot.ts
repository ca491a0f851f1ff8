import { z } from "zod";
import { escapeCsvField } from "../release/csv";
import { ZModalitySchema } from "../vocabulary";

/**
 * The stored and published shape of one leaderboard (one modality, one variant). The same object
 * is the LeaderboardSnapshot.data column, the tRPC answer and the public JSON API, validated with
 * these schemas before it is stored or sent.
 */

const ZLeaderboardRowSchema = z.object({
  /**
   * Rank (UB) within the model's comparison group; null: "not enough votes yet" (fewer than the
   * provisional minimum, or no decisive win or no decisive loss in its group).
   */
  rank: z.number().int().min(1).nullable(),
  /** Comparison group (1 = the group with the most votes); scores compare only within a group. */
  group: z.number().int().min(1).default(1),
  modelId: z.string(),
  slug: z.string(),
  displayName: z.string(),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  rating: z.number(),
  ciLower: z.number(),
  ciUpper: z.number(),
  votes: z.number().int().min(0),
  wins: z.number().min(0),
  losses: z.number().min(0),
  ties: z.number().min(0),
  provisional: z.boolean(),
  /** Online Elo in vote order (overall variant only). */
  elo: z.number().nullable(),
  /** Segment boards: the share of this model's estimate that comes from the segment's own votes (the rest from the overall board). */
  ownWeight: z.number().min(0).max(1).nullable().default(null),
});
export type TLeaderboardRow = z.infer<typeof ZLeaderboardRowSchema>;

const ZCheckpointSchema = z.object({
  day: z.string(),
  votes: z.number().int().min(0),
  ratings: z.record(z.string(), z.object({ rating: z.number(), lower: z.number().nullable(), upper: z.number().nullable() })),
});

export const ZLeaderboardDataSchema = z.object({
  modality: ZModalitySchema,
  variant: z.string(),
  label: z.string(),
  computedAt: z.string(),
  voteCount: z.number().int().min(0),
  rows: z.array(ZLeaderboardRowSchema),
  /** Row model vs column model, both indexed like `modelIds` (modelId order of `rows`). */
  matrix: z.object({
    modelIds: z.array(z.string()),
    winRate: z.array(z.array(z.number().nullable())),
    counts: z.array(z.array(z.number())),
  }),
  history: z.array(ZCheckpointSchema),
  votesByDay: z.array(z.object({ day: z.string(), votes: z.number().int().min(0) })),
  /** Segments: the λ chosen by held-out likelihood when shrinking toward the global ratings. */
  shrinkStrength: z.number().nullable(),
  /** Style variant: log-odds per SD of each style difference. */
  styleCoefficients: z.record(z.string(), z.number()).nullable(),
  /** Style variant: 95% bootstrap intervals of the coefficients. */
  styleCoefficientIntervals: z.record(z.string(), z.tuple([z.number(), z.number()])).nullable().default(null),
  /** How the scores and intervals were estimated (null in snapshots older than this field). */
  method: z
    .object({
      /** SD (rating points) of the Gaussian prior on log-strengths (Bayesian Bradley–Terry, posterior mode). */
      priorSdPoints: z.number().nullable(),
      intervals: z.enum(["bootstrap", "bootstrap-or-posterior", "posterior"]).nullable(),
      bootstrapRounds: z.number().int().min(0),
      minVotes: z.number().int().min(0),
    })
    .nullable()
    .default(null),
  /** Connected comparison groups among the models with votes. */
  groupCount: z.number().int().min(0).default(1),
  /** Segment boards: how much they lean on the overall board. */
  shrinkage: z
    .object({
      /** Share of the estimates that comes from the segment's own votes, vote-weighted over its models. */
      ownWeight: z.number().min(0).max(1),
      /** The segment's votes times ownWeight: how many votes' worth of its own evidence the board shows. */
      effectiveVotes: z.number().min(0),
      /** No model's segment-only score differs from its overall score by more than its 95% interval. */
      noDetectableDifference: z.boolean(),
    })
    .nullable()
    .default(null),
});
export type TLeaderboardData = z.infer<typeof ZLeaderboardDataSchema>;

/** The published shape of /api/v1/leaderboard?format=json (no internal organization ids). */
export const ZPublicLeaderboardSchema = z.object({
  modality: ZModalitySchema,
  variant: z.string(),
  label: z.string().nullable(),
  computedAt: z.string().nullable(),
  voteCount: z.number().int().min(0),
  rows: z.array(ZLeaderboardRowSchema.omit({ organizationId: true }).strict()),
});

const LEADERBOARD_CSV_COLUMNS = [
  "rank",
  "model",
  "organization",
  "rating",
  "ci_lower",
  "ci_upper",
  "votes",
  "wins",
  "losses",
  "ties",
  "provisional",
] as const;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The table as RFC 4180 CSV (CRLF), header first; one line per model in rank order. */
export function leaderboardToCsv(rows: readonly TLeaderboardRow[]): string {
  const lines = [LEADERBOARD_CSV_COLUMNS.join(",")];
  for (const row of rows) {
    lines.push(
      [
        row.rank ?? "",
        row.slug,
        row.organizationName,
        round(row.rating),
        round(row.ciLower),
        round(row.ciUpper),
        row.votes,
        row.wins,
        row.losses,
        row.ties,
        row.provisional,
      ]
        .map(escapeCsvField)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
