-- Room on each page for the rows' later versions. A battle is inserted, then marked ready and voted, and an
-- answer is inserted, then written when its stream ends. With full pages (the default fillfactor, 100) most of
-- those updates cannot stay on their row's page, so PostgreSQL writes a new entry into every index of the table
-- (nine on "Battle", three on "Response") although none of the updated columns is indexed. With 30 % of each page
-- free they are HOT updates: the new version joins the old one's page and no index is touched.
-- Prisma's schema has no storage parameters: this is PostgreSQL only (the SQLite migration of this name is empty).
ALTER TABLE "Battle" SET (fillfactor = 70);
ALTER TABLE "Response" SET (fillfactor = 70);
