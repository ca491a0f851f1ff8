-- CreateTable
CREATE TABLE "LeaderboardState" (
    "key" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "LeaderboardState_pkey" PRIMARY KEY ("key")
);
