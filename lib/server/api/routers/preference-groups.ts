import "server-only";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "@/lib/server/api/trpc";
import { getMyPreferenceGroup, getPreferenceGroups } from "@/lib/server/preference-groups/read";
import { ZModalityQuerySchema } from "@/lib/schemas/leaderboard";

export const preferenceGroupsRouter = createTRPCRouter({
  /** Per-group leaderboards with persona descriptions, from the newest fit. */
  get: publicProcedure.input(ZModalityQuerySchema).query(({ ctx, input }) => getPreferenceGroups(ctx.db, input.modality)),
  /** The signed-in annotator's most likely group. */
  mine: protectedProcedure.input(ZModalityQuerySchema).query(({ ctx, input }) => getMyPreferenceGroup(ctx.db, ctx.user.id, input.modality)),
});
