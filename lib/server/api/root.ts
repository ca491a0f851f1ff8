import "server-only";
import { createCallerFactory, createTRPCRouter } from "@/lib/server/api/trpc";
import { authRouter } from "@/lib/server/api/routers/auth";
import { battleRouter } from "@/lib/server/api/routers/battle";
import { consentRouter } from "@/lib/server/api/routers/consent";
import { personaRouter } from "@/lib/server/api/routers/persona";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  battle: battleRouter,
  persona: personaRouter,
  consent: consentRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
