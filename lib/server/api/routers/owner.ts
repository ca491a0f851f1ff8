import "server-only";
import { ZOrganizationQuerySchema } from "@/lib/schemas/owner";
import { createTRPCRouter, ownerProcedure } from "@/lib/server/api/trpc";
import { getOwnerDashboard, listDashboardOrganizations } from "@/lib/server/services/owner-dashboard";

export const ownerRouter = createTRPCRouter({
  /** Organizations whose dashboard the user may open (all of them for admins). */
  organizations: ownerProcedure.query(({ ctx }) => listDashboardOrganizations(ctx.db, ctx.user)),

  /** One organization's dashboard; FORBIDDEN unless the user owns models there or is an admin. */
  dashboard: ownerProcedure.input(ZOrganizationQuerySchema).query(({ ctx, input }) => getOwnerDashboard(ctx.db, ctx.user, input.organizationId)),
});
