import "server-only";
import { ZPersonaSchema } from "@/lib/domain/persona";
import { createTRPCRouter, protectedProcedure } from "@/lib/server/api/trpc";
import { describeCurrentPersona, getCurrentPersona, savePersona } from "@/lib/server/services/personas";

export const personaRouter = createTRPCRouter({
  current: protectedProcedure.query(({ ctx }) => getCurrentPersona(ctx.db, ctx.user.id)),

  /** Every save is a new version; battles keep the version they were made with. */
  save: protectedProcedure.input(ZPersonaSchema).mutation(({ ctx, input }) => savePersona(ctx.db, ctx.user.id, input)),

  /** "What the models know about you". */
  disclosure: protectedProcedure.query(({ ctx }) => describeCurrentPersona(ctx.db, ctx.user.id)),
});
