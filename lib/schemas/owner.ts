import { z } from "zod";

/** One organization, as the owner dashboard (tRPC) and the battle export (GET /api/v1/owner/battles) name it. */
export const ZOrganizationQuerySchema = z.object({ organizationId: z.string().min(1).max(100) });
