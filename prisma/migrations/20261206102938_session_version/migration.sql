-- Per-user session version (revocable sessions). Written as ADD COLUMN rather than Prisma's table
-- redefinition so that it composes with other migrations of "User".
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
