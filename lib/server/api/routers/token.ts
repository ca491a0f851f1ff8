import "server-only";
import { createTRPCRouter, scopedProcedure, z } from "@/lib/server/api/trpc";
import { createApiToken, listApiTokens, revokeApiToken } from "@/lib/server/services/api-tokens";

const tokenProcedure = scopedProcedure("token:manage");

export const tokenRouter = createTRPCRouter({
  list: tokenProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.user.id)),

  create: tokenProcedure.input(z.object({ name: z.string().trim().min(1).max(80) })).mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.user.id, input.name)),

  revoke: tokenProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.user.id, input.id)),
});
