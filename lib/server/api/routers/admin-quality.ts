import "server-only";
import { ZVoteOutcomeSchema } from "@/lib/domain/vocabulary";
import { createTRPCRouter, scopedProcedure, z } from "@/lib/server/api/trpc";
import { excludeAnnotatorVotes, getAdminOverview, includeAnnotatorVotes, listAnnotatorQuality } from "@/lib/server/services/annotator-quality";
import { clearBattleGold, getAdminBattle, listAdminBattles, markBattleGold } from "@/lib/server/services/gold";

const qualityProcedure = scopedProcedure("quality:view");

export const adminQualityRouter = createTRPCRouter({
  /** The admin home page's counts. */
  overview: qualityProcedure.query(({ ctx }) => getAdminOverview(ctx.db)),

  annotators: qualityProcedure
    .input(z.object({ days: z.number().int().min(1, "Use at least 1 day.").max(365, "Use at most 365 days.").default(30) }))
    .query(({ ctx, input }) => listAnnotatorQuality(ctx.db, { days: input.days })),

  excludeVotes: qualityProcedure
    .input(z.object({ userId: z.string().min(1), reason: z.string().trim().min(3, "Give a reason (at least 3 characters).").max(500) }))
    .mutation(({ ctx, input }) => excludeAnnotatorVotes(ctx.db, ctx.user, input)),

  includeVotes: qualityProcedure.input(z.object({ userId: z.string().min(1) })).mutation(({ ctx, input }) => includeAnnotatorVotes(ctx.db, ctx.user, input)),

  battles: qualityProcedure
    .input(z.object({ cursor: z.string().nullish(), userId: z.string().optional(), goldOnly: z.boolean().default(false) }))
    .query(({ ctx, input }) => listAdminBattles(ctx.db, input)),

  battle: qualityProcedure.input(z.object({ battleId: z.string().min(1) })).query(({ ctx, input }) => getAdminBattle(ctx.db, input.battleId)),

  markGold: qualityProcedure
    .input(z.object({ battleId: z.string().min(1), goldOutcome: ZVoteOutcomeSchema }))
    .mutation(({ ctx, input }) => markBattleGold(ctx.db, ctx.user, input)),

  clearGold: qualityProcedure.input(z.object({ battleId: z.string().min(1) })).mutation(({ ctx, input }) => clearBattleGold(ctx.db, ctx.user, input)),
});
