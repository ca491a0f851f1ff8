-- AlterTable
ALTER TABLE "Battle" ADD COLUMN     "categories" TEXT,
ADD COLUMN     "categorizedBy" TEXT,
ADD COLUMN     "language" TEXT,
ADD COLUMN     "personalizedA" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "personalizedB" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "promptHash" TEXT;

-- AlterTable
ALTER TABLE "Vote" ADD COLUMN     "categories" TEXT,
ADD COLUMN     "personalizedA" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "personalizedB" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "LiftSnapshot" (
    "modality" "Modality" NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "voteCount" INTEGER NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "LiftSnapshot_pkey" PRIMARY KEY ("modality")
);

UPDATE "Battle" SET "personalizedA" = "personalized", "personalizedB" = "personalized";
UPDATE "Vote" SET "personalizedA" = b."personalized", "personalizedB" = b."personalized" FROM "Battle" b WHERE b."id" = "Vote"."battleId";

-- CreateIndex
CREATE INDEX "Battle_promptHash_idx" ON "Battle"("promptHash");
