-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Battle" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "publicId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "modality" TEXT NOT NULL,
    "personaVersionId" TEXT,
    "personalized" BOOLEAN NOT NULL DEFAULT true,
    "modelAId" TEXT NOT NULL,
    "modelBId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'generating',
    "isGold" BOOLEAN NOT NULL DEFAULT false,
    "goldOutcome" TEXT,
    "seed" INTEGER NOT NULL DEFAULT 0,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    "revealedAt" DATETIME,
    CONSTRAINT "Battle_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Battle_personaVersionId_fkey" FOREIGN KEY ("personaVersionId") REFERENCES "PersonaVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Battle_modelAId_fkey" FOREIGN KEY ("modelAId") REFERENCES "ArenaModel" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Battle_modelBId_fkey" FOREIGN KEY ("modelBId") REFERENCES "ArenaModel" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Battle" ("completedAt", "createdAt", "goldOutcome", "id", "isGold", "modality", "modelAId", "modelBId", "personaVersionId", "personalized", "publicId", "revealedAt", "status", "userId") SELECT "completedAt", "createdAt", "goldOutcome", "id", "isGold", "modality", "modelAId", "modelBId", "personaVersionId", "personalized", "publicId", "revealedAt", "status", "userId" FROM "Battle";
DROP TABLE "Battle";
ALTER TABLE "new_Battle" RENAME TO "Battle";
CREATE UNIQUE INDEX "Battle_publicId_key" ON "Battle"("publicId");
CREATE INDEX "Battle_userId_createdAt_idx" ON "Battle"("userId", "createdAt");
CREATE INDEX "Battle_modality_createdAt_idx" ON "Battle"("modality", "createdAt");
CREATE INDEX "Battle_modelAId_idx" ON "Battle"("modelAId");
CREATE INDEX "Battle_modelBId_idx" ON "Battle"("modelBId");
CREATE TABLE "new_Release" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "version" TEXT NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "windowEnd" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'publishing',
    "rowCount" INTEGER NOT NULL DEFAULT 0,
    "kAnonymity" INTEGER NOT NULL DEFAULT 5,
    "files" JSONB,
    "manifest" JSONB,
    "error" TEXT,
    "downloadCount" INTEGER NOT NULL DEFAULT 0,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" DATETIME
);
INSERT INTO "new_Release" ("createdAt", "downloadCount", "error", "files", "id", "kAnonymity", "manifest", "publishedAt", "rowCount", "status", "version", "windowEnd", "windowStart") SELECT "createdAt", "downloadCount", "error", "files", "id", "kAnonymity", "manifest", "publishedAt", "rowCount", "status", "version", "windowEnd", "windowStart" FROM "Release";
DROP TABLE "Release";
ALTER TABLE "new_Release" RENAME TO "Release";
CREATE UNIQUE INDEX "Release_version_key" ON "Release"("version");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT,
    "emailVerified" DATETIME,
    "name" TEXT,
    "image" TEXT,
    "passwordHash" TEXT,
    "role" TEXT NOT NULL DEFAULT 'annotator',
    "isGuest" BOOLEAN NOT NULL DEFAULT false,
    "votesExcludedAt" DATETIME,
    "votesExcludedReason" TEXT,
    "bannedAt" DATETIME,
    "deletedAt" DATETIME,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("bannedAt", "createdAt", "deletedAt", "email", "emailVerified", "id", "image", "isGuest", "name", "passwordHash", "role", "updatedAt", "votesExcludedAt", "votesExcludedReason") SELECT "bannedAt", "createdAt", "deletedAt", "email", "emailVerified", "id", "image", "isGuest", "name", "passwordHash", "role", "updatedAt", "votesExcludedAt", "votesExcludedReason" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE TABLE "new_Vote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "battleId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "modality" TEXT NOT NULL,
    "modelAId" TEXT NOT NULL,
    "modelBId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "feedbackGeneral" TEXT,
    "feedbackA" TEXT,
    "feedbackB" TEXT,
    "listeningEvents" JSONB,
    "listenSecondsA" REAL,
    "listenSecondsB" REAL,
    "countsForRating" BOOLEAN NOT NULL DEFAULT true,
    "invalidReasons" TEXT NOT NULL DEFAULT '',
    "secondsToVote" REAL,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Vote_battleId_fkey" FOREIGN KEY ("battleId") REFERENCES "Battle" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Vote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Vote" ("battleId", "countsForRating", "createdAt", "feedbackA", "feedbackB", "feedbackGeneral", "id", "invalidReasons", "listenSecondsA", "listenSecondsB", "listeningEvents", "modality", "modelAId", "modelBId", "outcome", "secondsToVote", "userId") SELECT "battleId", "countsForRating", "createdAt", "feedbackA", "feedbackB", "feedbackGeneral", "id", "invalidReasons", "listenSecondsA", "listenSecondsB", "listeningEvents", "modality", "modelAId", "modelBId", "outcome", "secondsToVote", "userId" FROM "Vote";
DROP TABLE "Vote";
ALTER TABLE "new_Vote" RENAME TO "Vote";
CREATE UNIQUE INDEX "Vote_battleId_key" ON "Vote"("battleId");
CREATE INDEX "Vote_modality_countsForRating_createdAt_idx" ON "Vote"("modality", "countsForRating", "createdAt");
CREATE INDEX "Vote_userId_createdAt_idx" ON "Vote"("userId", "createdAt");
CREATE INDEX "Vote_modelAId_createdAt_idx" ON "Vote"("modelAId", "createdAt");
CREATE INDEX "Vote_modelBId_createdAt_idx" ON "Vote"("modelBId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
