import "server-only";
import { z } from "zod";
import { MODALITIES } from "@/lib/domain/leaderboard/snapshot";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "@/lib/server/api/trpc";
import { getLift } from "@/lib/server/leaderboards/lift";
import { getLeaderboard, getPersonalLeaderboard } from "@/lib/server/leaderboards/read";
import { isLeaderboardVariant, OVERALL_VARIANT } from "@/lib/server/leaderboards/variants";

export const ZLeaderboardQuerySchema = z.object({
  modality: z.enum(MODALITIES),
  variant: z.string().max(200).refine(isLeaderboardVariant, { message: "Unknown leaderboard variant." }).default(OVERALL_VARIANT),
});

export const leaderboardRouter = createTRPCRouter({
  /** The stored leaderboard of a modality and variant, plus the variants on offer. */
  get: publicProcedure.input(ZLeaderboardQuerySchema).query(({ ctx, input }) => getLeaderboard(ctx.db, input.modality, input.variant)),

  /** Personalization lift per model (and per persona segment), from the personalization experiment. */
  lift: publicProcedure.input(z.object({ modality: z.enum(MODALITIES) })).query(({ ctx, input }) => getLift(ctx.db, input.modality)),

  /** "For people like you": the signed-in annotator's best-matching persona segment. */
  personal: protectedProcedure
    .input(z.object({ modality: z.enum(MODALITIES) }))
    .query(({ ctx, input }) => getPersonalLeaderboard(ctx.db, ctx.user.id, input.modality)),
});
