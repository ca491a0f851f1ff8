-- CreateTable
CREATE TABLE "PreferenceGroupFit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modality" TEXT NOT NULL,
    "computedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "voteCount" INTEGER NOT NULL,
    "annotatorCount" INTEGER NOT NULL,
    "groupCount" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "data" JSONB NOT NULL
);

-- CreateTable
CREATE TABLE "PreferenceGroupMember" (
    "fitId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "group" INTEGER NOT NULL,
    "probability" REAL NOT NULL,

    PRIMARY KEY ("fitId", "userId"),
    CONSTRAINT "PreferenceGroupMember_fitId_fkey" FOREIGN KEY ("fitId") REFERENCES "PreferenceGroupFit" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JudgeRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "judgeModelId" TEXT,
    "judgeLabel" TEXT NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "sampleSize" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "tokenBudget" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "abstained" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "summary" JSONB,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "JudgeItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "voteId" TEXT NOT NULL,
    "withPersona" BOOLEAN NOT NULL,
    "humanOutcome" TEXT NOT NULL,
    "choice" TEXT,
    "certainty" INTEGER,
    "rationale" TEXT,
    "abstention" TEXT,
    "detail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "JudgeItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JudgeRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PreferenceGroupFit_modality_computedAt_idx" ON "PreferenceGroupFit"("modality", "computedAt");

-- CreateIndex
CREATE INDEX "PreferenceGroupMember_userId_idx" ON "PreferenceGroupMember"("userId");

-- CreateIndex
CREATE INDEX "JudgeRun_createdAt_idx" ON "JudgeRun"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "JudgeItem_runId_voteId_withPersona_key" ON "JudgeItem"("runId", "voteId", "withPersona");
