-- CreateTable
CREATE TABLE "ModelFailure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ModelFailure_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "ArenaModel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ModelFailure_modelId_createdAt_idx" ON "ModelFailure"("modelId", "createdAt");
