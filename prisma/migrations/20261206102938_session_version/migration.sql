-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("bannedAt", "createdAt", "deletedAt", "email", "emailVerified", "id", "image", "isGuest", "name", "passwordHash", "role", "updatedAt", "votesExcludedAt", "votesExcludedReason") SELECT "bannedAt", "createdAt", "deletedAt", "email", "emailVerified", "id", "image", "isGuest", "name", "passwordHash", "role", "updatedAt", "votesExcludedAt", "votesExcludedReason" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
