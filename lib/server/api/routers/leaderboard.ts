import "server-only";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "@/lib/server/api/trpc";
import { getLift } from "@/lib/server/leaderboards/lift";
import { getLeaderboard, getPersonalLeaderboard } from "@/lib/server/leaderboards/read";
import { ZLeaderboardQuerySchema, ZModalityQuerySchema } from "@/lib/schemas/leaderboard";

export const leaderboardRouter = createTRPCRouter({
  /** The stored leaderboard of a modality and variant, plus the variants on offer. */
  get: publicProcedure.input(ZLeaderboardQuerySchema).query(({ ctx, input }) => getLeaderboard(ctx.db, input.modality, input.variant)),

  /** Personalization lift per model (and per persona segment), from the personalization experiment. */
  lift: publicProcedure.input(ZModalityQuerySchema).query(({ ctx, input }) => getLift(ctx.db, input.modality)),

  /** "For people like you": the signed-in annotator's best-matching persona segment. */
  personal: protectedProcedure.input(ZModalityQuerySchema).query(({ ctx, input }) => getPersonalLeaderboard(ctx.db, ctx.user.id, input.modality)),
});
