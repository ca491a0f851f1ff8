import type { Db } from "@/lib/server/db";

/** `create` memoized per database client: each store is chosen and built once for a client. */
export function perClient<S>(create: (db: Db) => S): (db: Db) => S {
  const stores = new WeakMap<Db, S>();
  return (db) => {
    let store = stores.get(db);
    if (!store) {
      store = create(db);
      stores.set(db, store);
    }
    return store;
  };
}
