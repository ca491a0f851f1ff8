import "server-only";
import { createCallerFactory, createTRPCRouter } from "@/lib/server/api/trpc";
import { authRouter } from "@/lib/server/api/routers/auth";

export const appRouter = createTRPCRouter({
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
