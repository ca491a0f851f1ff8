/**
 * A per-process memo of promises by key: everyone asking for a key while its load runs, and until the
 * load is `ttlMs` old, shares it; a load that fails is forgotten, so the next call tries again. The
 * entries live on globalThis under `name`, because Next bundles a module once per route that imports it.
 * With `maxEntries`, the oldest entry is dropped past that size. With `refreshAfterMs` (below `ttlMs`), a `get` of an
 * entry at least that old still answers from it and starts one load in the background, whose value replaces the
 * entry (as of when that load started) unless the entry was deleted or replaced meanwhile: a key asked for more
 * often than the difference is never waited for again, and no answer comes from a load older than `ttlMs`.
 * No "server-only": scripts use it too.
 */
export interface PromiseCache<K, V> {
  /** The cached promise when it is fresh (reloaded in the background past `refreshAfterMs`), else `load()`'s, which is then cached. */
  get(key: K, load: () => Promise<V>): Promise<V>;
  /** The cached promise when it is fresh. */
  peek(key: K): Promise<V> | undefined;
  /** Caches `value` for `key` (from now) and returns it. */
  set(key: K, value: Promise<V>): Promise<V>;
  delete(key: K): void;
  clear(): void;
}

/** `at`: when its load started; `settled`: its load succeeded; `refreshing`: a background load replaces it. */
type TEntry<V> = { at: number; value: Promise<V>; settled?: true; refreshing?: true };

const globalForCaches = globalThis as unknown as { arenaPromiseCaches?: Map<string, Map<unknown, TEntry<unknown>>> };
const caches = (globalForCaches.arenaPromiseCaches ??= new Map());

export function promiseCache<K, V>(name: string, options: { ttlMs?: number; maxEntries?: number; refreshAfterMs?: number } = {}): PromiseCache<K, V> {
  const { ttlMs = Number.POSITIVE_INFINITY, maxEntries = Number.POSITIVE_INFINITY, refreshAfterMs = Number.POSITIVE_INFINITY } = options;
  let entries = caches.get(name) as Map<K, TEntry<V>> | undefined;
  if (!entries) {
    entries = new Map();
    caches.set(name, entries as Map<unknown, TEntry<unknown>>);
  }
  const store = entries;
  const peek = (key: K) => {
    const entry = store.get(key);
    return entry && Date.now() - entry.at < ttlMs ? entry.value : undefined;
  };
  const set = (key: K, value: Promise<V>, at = Date.now()) => {
    const entry: TEntry<V> = { at, value };
    store.set(key, entry);
    value.then(
      () => {
        entry.settled = true;
      },
      () => {
        if (store.get(key) === entry) store.delete(key);
      },
    );
    if (store.size > maxEntries) store.delete(store.keys().next().value!);
    return value;
  };
  /** Reloads `entry` of `key` in the background; its value replaces the entry only if the entry is still there. */
  const refresh = (key: K, entry: TEntry<V>, load: () => Promise<V>) => {
    entry.refreshing = true;
    const at = Date.now();
    load().then(
      (value) => {
        if (store.get(key) === entry) set(key, Promise.resolve(value), at);
      },
      // A failed reload leaves the entry to expire at ttlMs; the next get then loads and waits.
      () => undefined,
    );
  };
  const get = (key: K, load: () => Promise<V>) => {
    const entry = store.get(key);
    const age = entry ? Date.now() - entry.at : Number.POSITIVE_INFINITY;
    if (!entry || age >= ttlMs) return set(key, load());
    if (age >= refreshAfterMs && entry.settled && !entry.refreshing) refresh(key, entry, load);
    return entry.value;
  };
  return { peek, set: (key, value) => set(key, value), get, delete: (key) => void store.delete(key), clear: () => store.clear() };
}

/** Empties every cache of this process, as a new process would start (the integration tests share one process between files). */
export function clearPromiseCaches(): void {
  for (const entries of caches.values()) entries.clear();
}
