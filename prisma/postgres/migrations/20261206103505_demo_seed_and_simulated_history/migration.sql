-- AlterTable
ALTER TABLE "Battle" ADD COLUMN     "seed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "simulated" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Release" ADD COLUMN     "simulated" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "simulated" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Vote" ADD COLUMN     "simulated" BOOLEAN NOT NULL DEFAULT false;
