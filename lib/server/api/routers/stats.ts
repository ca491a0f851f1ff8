import "server-only";
import { ZModalitySchema } from "@/lib/domain/vocabulary";
import { createTRPCRouter, publicProcedure, z } from "@/lib/server/api/trpc";
import { countSimulatedVotes } from "@/lib/server/services/demo-history";
import { getArenaStats } from "@/lib/server/services/stats";

export const statsRouter = createTRPCRouter({
  /** The home page's counts: active models per modality, votes, battles. */
  arena: publicProcedure.query(({ ctx }) => getArenaStats(ctx.db)),

  /** Votes of the living demo's simulated annotators (of one modality, or all), for the "simulated data" notes. */
  simulatedVotes: publicProcedure
    .input(z.object({ modality: ZModalitySchema.optional() }).optional())
    .query(({ ctx, input }) => countSimulatedVotes(ctx.db, input?.modality)),
});
