-- SQLite only: the vote ledger the leaderboards read (lib/server/services/leaderboards.ts).
-- One narrow row per counted vote, clustered by (modality, createdAt) and kept by triggers in the
-- transaction of every write to "Vote", so it never disagrees with it. Models and annotators are
-- numbered once ("RatingNumber"), so a row carries small integers instead of three ids: a full
-- read scans a few MB in time order instead of a million wide "Vote" rows. Both tables are
-- outside the Prisma schema (lib/server/db/schema-engine.ts lists them as external tables).
-- PostgreSQL aggregates "Vote" itself and has neither.

CREATE TABLE "RatingNumber" (
    "number" INTEGER NOT NULL PRIMARY KEY,
    "id" TEXT NOT NULL UNIQUE
);

-- "line": "<modelA> <modelB> <outcome 0|1|2> <annotator> <YYYY-MM-DD>", outcome 0 = model_a,
-- 1 = model_b, 2 = tie or both_bad. Equal timestamps are ordered by the vote id.
CREATE TABLE "VoteLedger" (
    "modality" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "voteId" TEXT NOT NULL,
    "userNumber" INTEGER NOT NULL,
    "line" TEXT NOT NULL,
    PRIMARY KEY ("modality", "createdAt", "voteId")
) WITHOUT ROWID;

CREATE TRIGGER "Vote_ledger_insert" AFTER INSERT ON "Vote" WHEN NEW."countsForRating" BEGIN
    INSERT OR IGNORE INTO "RatingNumber" ("id") VALUES (NEW."modelAId"), (NEW."modelBId"), (NEW."userId");
    INSERT INTO "VoteLedger" ("modality", "createdAt", "voteId", "userNumber", "line")
    SELECT NEW."modality", NEW."createdAt", NEW."id", u."number",
        printf('%d %d %d %d %.10s', a."number", b."number",
            CASE NEW."outcome" WHEN 'model_a' THEN 0 WHEN 'model_b' THEN 1 ELSE 2 END, u."number", NEW."createdAt")
    FROM "RatingNumber" a, "RatingNumber" b, "RatingNumber" u
    WHERE a."id" = NEW."modelAId" AND b."id" = NEW."modelBId" AND u."id" = NEW."userId";
END;

CREATE TRIGGER "Vote_ledger_delete" AFTER DELETE ON "Vote" WHEN OLD."countsForRating" BEGIN
    DELETE FROM "VoteLedger" WHERE "modality" = OLD."modality" AND "createdAt" = OLD."createdAt" AND "voteId" = OLD."id";
END;

CREATE TRIGGER "Vote_ledger_update"
AFTER UPDATE OF "id", "modality", "modelAId", "modelBId", "outcome", "userId", "countsForRating", "createdAt" ON "Vote" BEGIN
    DELETE FROM "VoteLedger" WHERE "modality" = OLD."modality" AND "createdAt" = OLD."createdAt" AND "voteId" = OLD."id";
    INSERT OR IGNORE INTO "RatingNumber" ("id")
    SELECT "value" FROM (SELECT NEW."modelAId" AS "value" UNION ALL SELECT NEW."modelBId" UNION ALL SELECT NEW."userId") WHERE NEW."countsForRating";
    INSERT INTO "VoteLedger" ("modality", "createdAt", "voteId", "userNumber", "line")
    SELECT NEW."modality", NEW."createdAt", NEW."id", u."number",
        printf('%d %d %d %d %.10s', a."number", b."number",
            CASE NEW."outcome" WHEN 'model_a' THEN 0 WHEN 'model_b' THEN 1 ELSE 2 END, u."number", NEW."createdAt")
    FROM "RatingNumber" a, "RatingNumber" b, "RatingNumber" u
    WHERE NEW."countsForRating" AND a."id" = NEW."modelAId" AND b."id" = NEW."modelBId" AND u."id" = NEW."userId";
END;

-- The votes stored before this migration.
INSERT OR IGNORE INTO "RatingNumber" ("id") SELECT "modelAId" FROM "Vote" WHERE "countsForRating" GROUP BY "modelAId";
INSERT OR IGNORE INTO "RatingNumber" ("id") SELECT "modelBId" FROM "Vote" WHERE "countsForRating" GROUP BY "modelBId";
INSERT OR IGNORE INTO "RatingNumber" ("id") SELECT "userId" FROM "Vote" WHERE "countsForRating" GROUP BY "userId";
INSERT INTO "VoteLedger" ("modality", "createdAt", "voteId", "userNumber", "line")
SELECT v."modality", v."createdAt", v."id", u."number",
    printf('%d %d %d %d %.10s', a."number", b."number",
        CASE v."outcome" WHEN 'model_a' THEN 0 WHEN 'model_b' THEN 1 ELSE 2 END, u."number", v."createdAt")
FROM "Vote" v
JOIN "RatingNumber" a ON a."id" = v."modelAId"
JOIN "RatingNumber" b ON b."id" = v."modelBId"
JOIN "RatingNumber" u ON u."id" = v."userId"
WHERE v."countsForRating";
