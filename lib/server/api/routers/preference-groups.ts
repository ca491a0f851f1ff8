import "server-only";
import { z } from "zod";
import { MODALITIES } from "@/lib/domain/leaderboard/snapshot";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "@/lib/server/api/trpc";
import { getMyPreferenceGroup, getPreferenceGroups } from "@/lib/server/preference-groups/read";

const ZModalityInputSchema = z.object({ modality: z.enum(MODALITIES) });

export const preferenceGroupsRouter = createTRPCRouter({
  /** Per-group leaderboards with persona descriptions, from the newest fit. */
  get: publicProcedure.input(ZModalityInputSchema).query(({ ctx, input }) => getPreferenceGroups(ctx.db, input.modality)),
  /** The signed-in annotator's most likely group. */
  mine: protectedProcedure.input(ZModalityInputSchema).query(({ ctx, input }) => getMyPreferenceGroup(ctx.db, ctx.user.id, input.modality)),
});
