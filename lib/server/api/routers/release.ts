import "server-only";
import { createTRPCRouter, publicProcedure, scopedProcedure, z } from "@/lib/server/api/trpc";
import { nextScheduledRelease } from "@/lib/server/releases/schedule";
import { getRelease, listReleases, publishRelease } from "@/lib/server/services/releases";

const ZWindowSchema = z.string().trim().regex(/^\d{4}-(\d{2}|W\d{2})$/, "Use a month (2026-11) or an ISO week (2026-W47).");

export const releaseRouter = createTRPCRouter({
  list: publicProcedure.query(({ ctx }) => listReleases(ctx.db)),

  byVersion: publicProcedure.input(z.object({ version: ZWindowSchema })).query(({ ctx, input }) => getRelease(ctx.db, input.version)),

  /** The release the schedule publishes next (`scheduled: false` when releases are published on demand only). */
  nextScheduled: publicProcedure.query(({ ctx }) => nextScheduledRelease(ctx.db)),

  adminList: scopedProcedure("release:publish").query(({ ctx }) => listReleases(ctx.db, { includeUnpublished: true })),

  publish: scopedProcedure("release:publish")
    .input(z.object({ window: ZWindowSchema }))
    .mutation(({ ctx, input }) => publishRelease(ctx.db, { window: input.window, actorId: ctx.user.id })),
});
