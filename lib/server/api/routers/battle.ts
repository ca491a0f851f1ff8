import "server-only";
import { ZBattleIdSchema, ZContinueBattleSchema, ZCreateBattleSchema, ZRetrySideSchema, ZVoteSchema } from "@/lib/schemas/battle";
import { createTRPCRouter, protectedProcedure, z } from "@/lib/server/api/trpc";
import { loadArenaProps } from "@/lib/server/services/arena-page";
import { listOwnBattles } from "@/lib/server/services/battle-history";
import { getBattleView } from "@/lib/server/services/battle-view";
import { continueBattle, createBattle, retryBattleSide, revealBattle } from "@/lib/server/services/battles";
import { recordVote } from "@/lib/server/services/votes";

export const battleRouter = createTRPCRouter({
  /** Starts a battle; answers stream from GET /api/battles/[id]/stream. */
  create: protectedProcedure.input(ZCreateBattleSchema).mutation(({ ctx, input }) => createBattle(ctx.db, ctx.user, input, ctx.ip)),

  get: protectedProcedure.input(z.object({ battleId: ZBattleIdSchema })).query(({ ctx, input }) => getBattleView(ctx.db, ctx.user.id, input.battleId)),

  /** A follow-up turn with the whole conversation. */
  continue: protectedProcedure.input(ZContinueBattleSchema).mutation(({ ctx, input }) => continueBattle(ctx.db, ctx.user, input, ctx.ip)),

  retrySide: protectedProcedure.input(ZRetrySideSchema).mutation(({ ctx, input }) => retryBattleSide(ctx.db, ctx.user, input)),

  /** "Skip and reveal" without voting. */
  reveal: protectedProcedure.input(z.object({ battleId: ZBattleIdSchema })).mutation(({ ctx, input }) => revealBattle(ctx.db, ctx.user, input.battleId)),

  /** What the arena pages hand the Arena component: persona statements, consent, reading and listening floors. */
  arenaProps: protectedProcedure.query(({ ctx }) => loadArenaProps(ctx.db, ctx.user.id)),

  /** The user's own battles, newest first, one page at a time. */
  history: protectedProcedure
    .input(z.object({ page: z.number().int().min(1).default(1) }))
    .query(({ ctx, input }) => listOwnBattles(ctx.db, ctx.user.id, input.page)),

  vote: protectedProcedure.input(ZVoteSchema).mutation(({ ctx, input }) => {
    const { battleId, outcome, feedback, listening } = input;
    return recordVote(ctx.db, ctx.user, { battleId, outcome, feedback, listening }, ctx.ip);
  }),
});
