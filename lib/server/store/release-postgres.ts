import "server-only";
import { appPostgres } from "./app-postgres";
import { postgresDialect as d, releasableAnnotatorsQuery, releasePageQuery } from "./common-queries";
import type { PostgresDb } from "./kysely";
import { toAnnotatorRow, toPageRow, type ReleaseStore } from "./release-store";

/** The release store on PostgreSQL: the common queries (./common-queries.ts) run on the app's Kysely pool. */
export function createPostgresReleaseStore(kysely: () => PostgresDb = appPostgres): ReleaseStore {
  return {
    async releasableAnnotators(window) {
      const { rows } = await kysely().executeQuery(releasableAnnotatorsQuery(d, window));
      return rows.map(toAnnotatorRow);
    },
    async openPageReader() {
      const pg = kysely();
      return {
        async read(cursor, window, pageSize) {
          const { rows } = await pg.executeQuery(releasePageQuery(d, cursor, window, pageSize));
          return rows.map(toPageRow);
        },
        close: () => undefined,
      };
    },
  };
}
