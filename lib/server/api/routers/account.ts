import "server-only";
import { accountProcedure, createTRPCRouter, protectedProcedure, z } from "@/lib/server/api/trpc";
import { ZChangePasswordSchema } from "@/lib/schemas/auth";
import { deleteAccount } from "@/lib/server/services/account-deletion";
import { changePassword } from "@/lib/server/services/accounts";
import { getReleasePreference, setReleaseOptOut } from "@/lib/server/services/release-consent";

export const accountRouter = createTRPCRouter({
  releasePreference: protectedProcedure.query(({ ctx }) => getReleasePreference(ctx.db, ctx.user.id)),

  setReleaseOptOut: protectedProcedure
    .input(z.object({ optOut: z.boolean() }))
    .mutation(({ ctx, input }) => setReleaseOptOut(ctx.db, ctx.user.id, input.optOut)),

  /** Every session of the account ends, this one too: the client signs in again with the new password. */
  changePassword: accountProcedure.input(ZChangePasswordSchema).mutation(({ ctx, input }) => changePassword(ctx.db, ctx.user.id, input)),

  delete: accountProcedure
    .input(z.object({ confirmation: z.string().max(100) }))
    .mutation(({ ctx, input }) => deleteAccount(ctx.db, ctx.user.id, input.confirmation)),
});
