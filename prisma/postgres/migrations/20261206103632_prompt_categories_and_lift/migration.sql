-- AlterTable
ALTER TABLE "Battle" ADD COLUMN     "categories" TEXT,
ADD COLUMN     "categorizedBy" TEXT,
ADD COLUMN     "language" TEXT,
ADD COLUMN     "personalizedA" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "personalizedB" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "promptHash" TEXT;

UPDATE "Battle" SET "personalizedA" = "personalized", "personalizedB" = "personalized";

-- CreateIndex
CREATE INDEX "Battle_promptHash_idx" ON "Battle"("promptHash");
