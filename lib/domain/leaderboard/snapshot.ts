import { z } from "zod";
import { escapeCsvField } from "../release/csv";

/**
 * The stored and published shape of one leaderboard (one modality, one variant). The same object
 * is the LeaderboardSnapshot.data column, the tRPC answer and the public JSON API, validated with
 * these schemas before it is stored or sent.
 */
export const MODALITIES = ["text", "image", "audio"] as const;
export type TModality = (typeof MODALITIES)[number];

export const ZLeaderboardRowSchema = z.object({
  rank: z.number().int().min(1),
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
});
export type TLeaderboardRow = z.infer<typeof ZLeaderboardRowSchema>;

const ZCheckpointSchema = z.object({
  day: z.string(),
  votes: z.number().int().min(0),
  ratings: z.record(z.string(), z.object({ rating: z.number(), lower: z.number().nullable(), upper: z.number().nullable() })),
});

export const ZLeaderboardDataSchema = z.object({
  modality: z.enum(MODALITIES),
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
});
export type TLeaderboardData = z.infer<typeof ZLeaderboardDataSchema>;

/** The published shape of /api/v1/leaderboard?format=json (no internal organization ids). */
export const ZPublicLeaderboardSchema = z.object({
  modality: z.enum(MODALITIES),
  variant: z.string(),
  label: z.string().nullable(),
  computedAt: z.string().nullable(),
  voteCount: z.number().int().min(0),
  rows: z.array(ZLeaderboardRowSchema.omit({ organizationId: true }).strict()),
});
export type TPublicLeaderboard = z.infer<typeof ZPublicLeaderboardSchema>;

export const LEADERBOARD_CSV_COLUMNS = [
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
        row.rank,
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
