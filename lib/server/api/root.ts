import "server-only";
import { createCallerFactory, createTRPCRouter } from "@/lib/server/api/trpc";
import { authRouter } from "@/lib/server/api/routers/auth";
import { battleRouter } from "@/lib/server/api/routers/battle";
import { consentRouter } from "@/lib/server/api/routers/consent";
import { personaRouter } from "@/lib/server/api/routers/persona";
import { adminModelsRouter } from "@/lib/server/api/routers/admin-models";
import { adminQualityRouter } from "@/lib/server/api/routers/admin-quality";
import { adminUsersRouter } from "@/lib/server/api/routers/admin-users";
import { releaseRouter } from "@/lib/server/api/routers/release";
import { tokenRouter } from "@/lib/server/api/routers/token";
import { accountRouter } from "@/lib/server/api/routers/account";
import { leaderboardRouter } from "@/lib/server/api/routers/leaderboard";
import { ownerRouter } from "@/lib/server/api/routers/owner";
import { preferenceGroupsRouter } from "@/lib/server/api/routers/preference-groups";
import { judgeRouter } from "@/lib/server/api/routers/judge";
import { statsRouter } from "@/lib/server/api/routers/stats";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  battle: battleRouter,
  persona: personaRouter,
  consent: consentRouter,
  adminModels: adminModelsRouter,
  adminQuality: adminQualityRouter,
  adminUsers: adminUsersRouter,
  release: releaseRouter,
  token: tokenRouter,
  account: accountRouter,
  leaderboard: leaderboardRouter,
  owner: ownerRouter,
  preferenceGroups: preferenceGroupsRouter,
  judge: judgeRouter,
  stats: statsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
