-- CreateTable
CREATE TABLE "LeaderboardState" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "updatedAt" DATETIME NOT NULL,
    "data" BLOB NOT NULL
);
