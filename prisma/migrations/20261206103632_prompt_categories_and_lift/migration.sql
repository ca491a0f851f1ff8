-- Prompt categories, duplicate-prompt hashes and the personalization-lift experiment (issue 20).
-- Written as ADD COLUMN (not Prisma's table redefinition) so that it composes with other migrations of "Battle".
ALTER TABLE "Battle" ADD COLUMN "personalizedA" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Battle" ADD COLUMN "personalizedB" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Battle" ADD COLUMN "promptHash" TEXT;
ALTER TABLE "Battle" ADD COLUMN "categories" TEXT;
ALTER TABLE "Battle" ADD COLUMN "language" TEXT;
ALTER TABLE "Battle" ADD COLUMN "categorizedBy" TEXT;
UPDATE "Battle" SET "personalizedA" = "personalized", "personalizedB" = "personalized";
CREATE INDEX "Battle_promptHash_idx" ON "Battle"("promptHash");
