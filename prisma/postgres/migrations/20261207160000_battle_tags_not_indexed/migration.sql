-- The battles to tag are found through their votes (Vote_grouped_counts_idx holds a vote's categories), so no
-- index of "Battle" names a column the tagging writes: its update of a battle is HOT (no new index entries).
-- DropIndex
DROP INDEX "Battle_modality_categories_idx";
