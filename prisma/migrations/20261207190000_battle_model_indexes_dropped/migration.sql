-- No query looks battles up by one of their models: the per-model reads go through the indexes of "Vote", and
-- models are retired, never deleted. So these two indexes were only written, one entry each per battle inserted.
-- DropIndex
DROP INDEX "Battle_modelAId_idx";

-- DropIndex
DROP INDEX "Battle_modelBId_idx";
