import "server-only";
import {
  ZAssignModelOrganizationSchema,
  ZCreateModelSchema,
  ZCreateOrganizationSchema,
  ZEnvVarNameSchema,
  ZModelStatusChangeSchema,
  ZTestModelSchema,
  ZUpdateModelSchema,
} from "@/lib/schemas/model-registry";
import { createTRPCRouter, scopedProcedure, z } from "@/lib/server/api/trpc";
import {
  assignModelToOrganization,
  changeModelStatus,
  createModel,
  createOrganization,
  getAdminModel,
  isEnvVarSet,
  listAdminModels,
  listOrganizations,
  testModel,
  updateModel,
} from "@/lib/server/services/model-registry";

/** "registry:manage" is admin-only ("model:manage" is also held by model owners for their own org). */
const registryProcedure = scopedProcedure("registry:manage");

export const adminModelsRouter = createTRPCRouter({
  list: registryProcedure.query(({ ctx }) => listAdminModels(ctx.db)),

  get: registryProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getAdminModel(ctx.db, input.id)),

  create: registryProcedure.input(ZCreateModelSchema).mutation(({ ctx, input }) => createModel(ctx.db, ctx.user, input)),

  update: registryProcedure.input(ZUpdateModelSchema).mutation(({ ctx, input }) => updateModel(ctx.db, ctx.user, input)),

  /** activate / pause / resume (after an auto-pause) / retire. */
  changeStatus: registryProcedure.input(ZModelStatusChangeSchema).mutation(({ ctx, input }) => {
    const { id, action, reason } = input;
    return changeModelStatus(ctx.db, ctx.user, { id, action, reason });
  }),

  test: registryProcedure.input(ZTestModelSchema).mutation(({ ctx, input }) => {
    const { id, prompt, withSamplePersona } = input;
    return testModel(ctx.db, ctx.user, { id, prompt, withSamplePersona });
  }),

  /** Whether an API key variable is set on the server: a yes/no, never the value. */
  envVarStatus: registryProcedure
    .input(z.object({ name: ZEnvVarNameSchema }))
    .query(({ input }) => ({ name: input.name, isSet: isEnvVarSet(input.name) })),

  organizations: registryProcedure.query(({ ctx }) => listOrganizations(ctx.db)),

  createOrganization: registryProcedure.input(ZCreateOrganizationSchema).mutation(({ ctx, input }) => createOrganization(ctx.db, ctx.user, input)),

  assignOrganization: registryProcedure
    .input(ZAssignModelOrganizationSchema)
    .mutation(({ ctx, input }) => assignModelToOrganization(ctx.db, ctx.user, input)),
});
