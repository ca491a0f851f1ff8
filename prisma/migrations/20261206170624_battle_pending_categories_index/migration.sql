-- CreateIndex
CREATE INDEX "Battle_modality_categories_idx" ON "Battle"("modality", "categories");
