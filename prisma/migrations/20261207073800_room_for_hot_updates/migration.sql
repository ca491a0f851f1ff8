-- PostgreSQL only (storage parameters for HOT updates, see prisma/postgres/migrations); nothing to do on SQLite.
SELECT 1;
