/**
 * A per-process memo of promises by key: everyone asking for a key while its load runs, and until the
 * load is `ttlMs` old, shares it; a load that fails is forgotten, so the next call tries again. The
 * entries live on globalThis under `name`, because Next bundles a module once per route that imports it.
 * With `maxEntries`, the oldest entry is dropped past that size. No "server-only": scripts use it too.
 */
export interface PromiseCache<K, V> {
  /** The cached promise when it is fresh, else `load()`'s, which is then cached. */
  get(key: K, load: () => Promise<V>): Promise<V>;
  /** The cached promise when it is fresh. */
  peek(key: K): Promise<V> | undefined;
  /** Caches `value` for `key` (from now) and returns it. */
  set(key: K, value: Promise<V>): Promise<V>;
  delete(key: K): void;
  clear(): void;
}

type TEntry<V> = { at: number; value: Promise<V> };

const globalForCaches = globalThis as unknown as { arenaPromiseCaches?: Map<string, Map<unknown, TEntry<unknown>>> };
const caches = (globalForCaches.arenaPromiseCaches ??= new Map());

export function promiseCache<K, V>(name: string, options: { ttlMs?: number; maxEntries?: number } = {}): PromiseCache<K, V> {
  const { ttlMs = Number.POSITIVE_INFINITY, maxEntries = Number.POSITIVE_INFINITY } = options;
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
  const set = (key: K, value: Promise<V>) => {
    const entry = { at: Date.now(), value };
    store.set(key, entry);
    value.catch(() => {
      if (store.get(key) === entry) store.delete(key);
    });
    if (store.size > maxEntries) store.delete(store.keys().next().value!);
    return value;
  };
  return { peek, set, get: (key, load) => peek(key) ?? set(key, load()), delete: (key) => void store.delete(key), clear: () => store.clear() };
}

/** Empties every cache of this process, as a new process would start (the integration tests share one process between files). */
export function clearPromiseCaches(): void {
  for (const entries of caches.values()) entries.clear();
}
