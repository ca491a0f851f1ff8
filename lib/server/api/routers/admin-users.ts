import "server-only";
import { createTRPCRouter, scopedProcedure, z } from "@/lib/server/api/trpc";
import { listAuditLog, MAX_AUDIT_PAGE } from "@/lib/server/audit";
import {
  ASSIGNABLE_ROLES,
  changeUserRole,
  removeOrganizationMembership,
  searchUsers,
  setOrganizationMembership,
  setUserBanned,
} from "@/lib/server/services/users-admin";

const userManagerProcedure = scopedProcedure("user:manage");
const auditProcedure = scopedProcedure("audit:view");
const ZUserIdSchema = z.string().min(1);

export const adminUsersRouter = createTRPCRouter({
  search: userManagerProcedure
    .input(z.object({ query: z.string().max(200, "Use at most 200 characters.").default("") }))
    .query(({ ctx, input }) => searchUsers(ctx.db, { query: input.query })),

  changeRole: userManagerProcedure
    .input(z.object({ userId: ZUserIdSchema, role: z.enum(ASSIGNABLE_ROLES) }))
    .mutation(({ ctx, input }) => changeUserRole(ctx.db, ctx.user, input)),

  setMembership: userManagerProcedure
    .input(z.object({ userId: ZUserIdSchema, organizationId: z.string().min(1), role: z.enum(["owner", "member"]) }))
    .mutation(({ ctx, input }) => setOrganizationMembership(ctx.db, ctx.user, input)),

  removeMembership: userManagerProcedure
    .input(z.object({ userId: ZUserIdSchema, organizationId: z.string().min(1) }))
    .mutation(({ ctx, input }) => removeOrganizationMembership(ctx.db, ctx.user, input)),

  setBanned: userManagerProcedure
    .input(z.object({ userId: ZUserIdSchema, banned: z.boolean(), reason: z.string().trim().max(500).optional() }))
    .mutation(({ ctx, input }) => setUserBanned(ctx.db, ctx.user, input)),

  /** Newest first; `action` filters exactly (e.g. "model.pause"). */
  auditLog: auditProcedure
    .input(
      z.object({
        cursor: z.string().nullish(),
        limit: z.number().int().min(1).max(MAX_AUDIT_PAGE).default(50),
        action: z.string().trim().max(100).optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { cursor, limit, action } = input;
      return listAuditLog(ctx.db, { cursor, limit, action: action || undefined });
    }),
});
