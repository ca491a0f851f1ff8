-- Nothing to do on PostgreSQL: the vote ledger (see prisma/migrations/20261126180000_vote_ledger) is
-- SQLite's, and PostgreSQL aggregates "Vote" itself with string_agg. This folder keeps the two
-- migration histories in step.
SELECT 1;
