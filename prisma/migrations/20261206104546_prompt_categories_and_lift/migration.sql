-- Prompt categories, duplicate-prompt hashes and the personalization-lift experiment (issue 20).
-- Written as ADD COLUMN (not Prisma's table redefinition) so that it composes with other migrations of "Battle" and "Vote".
CREATE TABLE "LiftSnapshot" (
    "modality" TEXT NOT NULL PRIMARY KEY,
    "computedAt" DATETIME NOT NULL,
    "voteCount" INTEGER NOT NULL,
    "data" JSONB NOT NULL
);
ALTER TABLE "Battle" ADD COLUMN "personalizedA" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Battle" ADD COLUMN "personalizedB" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Battle" ADD COLUMN "promptHash" TEXT;
ALTER TABLE "Battle" ADD COLUMN "categories" TEXT;
ALTER TABLE "Battle" ADD COLUMN "language" TEXT;
ALTER TABLE "Battle" ADD COLUMN "categorizedBy" TEXT;
ALTER TABLE "Vote" ADD COLUMN "personalizedA" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Vote" ADD COLUMN "personalizedB" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Vote" ADD COLUMN "categories" TEXT;
UPDATE "Battle" SET "personalizedA" = "personalized", "personalizedB" = "personalized";
UPDATE "Vote" SET "personalizedA" = (SELECT "personalized" FROM "Battle" WHERE "Battle"."id" = "Vote"."battleId"), "personalizedB" = (SELECT "personalized" FROM "Battle" WHERE "Battle"."id" = "Vote"."battleId");
CREATE INDEX "Battle_promptHash_idx" ON "Battle"("promptHash");
