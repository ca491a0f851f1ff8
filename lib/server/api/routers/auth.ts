import "server-only";
import { ZSignUpSchema } from "@/lib/schemas/auth";
import { SCOPES } from "@/lib/domain/auth/roles";
import { assertScope, createTRPCRouter, protectedProcedure, publicProcedure, z } from "@/lib/server/api/trpc";
import { signUp } from "@/lib/server/services/accounts";

export const authRouter = createTRPCRouter({
  /** The signed-in user, or null. */
  me: publicProcedure.query(({ ctx }) => ctx.user),

  /** Resolves when the user's role grants `scope`, refusing as scopedProcedure(scope) does: pages gate on it. */
  access: protectedProcedure.input(z.object({ scope: z.enum(SCOPES) })).query(({ ctx, input }) => {
    assertScope(ctx.user, input.scope);
    return true as const;
  }),

  /** Creates an account; a guest signing up keeps their persona, battles and votes. */
  signUp: publicProcedure.input(ZSignUpSchema).mutation(({ ctx, input }) =>
    signUp(ctx.db, input, { guestUserId: ctx.user?.isGuest ? ctx.user.id : null, ip: ctx.ip }),
  ),
});
