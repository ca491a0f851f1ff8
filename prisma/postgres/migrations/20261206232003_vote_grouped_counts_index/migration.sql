-- CreateIndex
CREATE INDEX "Vote_grouped_counts_idx" ON "Vote"("modality", "countsForRating", "categories", "modelAId", "modelBId", "outcome", "personalizedA", "personalizedB", "userId");
