-- Per-battle seed for deterministic (demo) models, and the simulated-demo-data markers.
-- Plain ADD COLUMN instead of Prisma's table rebuild: rebuilding "Vote" would drop the vote-ledger
-- triggers (migration 20261126180000_vote_ledger), and it copies every row of large tables.
ALTER TABLE "Battle" ADD COLUMN "seed" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Battle" ADD COLUMN "simulated" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Release" ADD COLUMN "simulated" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "User" ADD COLUMN "simulated" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Vote" ADD COLUMN "simulated" BOOLEAN NOT NULL DEFAULT false;
