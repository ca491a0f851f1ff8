-- CreateTable
CREATE TABLE "ModelFailure" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelFailure_modelId_createdAt_idx" ON "ModelFailure"("modelId", "createdAt");

-- AddForeignKey
ALTER TABLE "ModelFailure" ADD CONSTRAINT "ModelFailure_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "ArenaModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
