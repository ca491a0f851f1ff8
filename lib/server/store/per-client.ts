import type { Db } from "@/lib/server/db";

/**
 * `create` memoized per database client: each store is chosen and built once for a client. A store
 * that opens asynchronously (a promise) and fails is forgotten, so the next call opens it again.
 */
export function perClient<S>(create: (db: Db) => S): (db: Db) => S {
  const stores = new WeakMap<Db, S>();
  return (db) => {
    let store = stores.get(db);
    if (!store) {
      store = create(db);
      stores.set(db, store);
      if (store instanceof Promise) store.catch(() => stores.delete(db));
    }
    return store;
  };
}
