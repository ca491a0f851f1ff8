import "server-only";
import { ZSignUpSchema } from "@/lib/schemas/auth";
import { createTRPCRouter, publicProcedure } from "@/lib/server/api/trpc";
import { signUp } from "@/lib/server/services/accounts";

export const authRouter = createTRPCRouter({
  /** The signed-in user, or null. */
  me: publicProcedure.query(({ ctx }) => ctx.user),

  /** Creates an account; a guest signing up keeps their persona, battles and votes. */
  signUp: publicProcedure.input(ZSignUpSchema).mutation(({ ctx, input }) =>
    signUp(ctx.db, input, { guestUserId: ctx.user?.isGuest ? ctx.user.id : null, ip: ctx.ip }),
  ),
});
