import "server-only";
import { createTRPCRouter, protectedProcedure, z } from "@/lib/server/api/trpc";
import { acceptTerms, getConsentStatus } from "@/lib/server/services/consent";

export const consentRouter = createTRPCRouter({
  status: protectedProcedure.query(({ ctx }) => getConsentStatus(ctx.db, ctx.user.id)),

  accept: protectedProcedure.input(z.object({ termsVersion: z.string().min(1).max(40) })).mutation(({ ctx, input }) => acceptTerms(ctx.db, ctx.user.id, input.termsVersion)),
});
