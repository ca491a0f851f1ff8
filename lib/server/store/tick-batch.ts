interface TWaiter<V> {
  resolve: (value: V | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads asked for in the same turn of the event loop (by any request), answered together at the next turn:
 * the returned function queues `key` under `group` (the reads that can share one statement, named by
 * `groupName`), and each group's distinct keys are read with ONE call of `readGroup`; a key it does not
 * answer reads as null, and its failure fails every read of the group. A read alone waits one turn of the loop.
 */
export function tickBatched<G, K, V>(readGroup: (group: G, keys: K[]) => Promise<Map<K, V>>, groupName: (group: G) => string = () => ""): (group: G, key: K) => Promise<V | null> {
  const pending = new Map<string, Map<K, TWaiter<V>[]>>();
  return (group, key) => {
    const name = groupName(group);
    let batch = pending.get(name);
    if (!batch) {
      const queued = (batch = new Map<K, TWaiter<V>[]>());
      pending.set(name, queued);
      setImmediate(() => {
        pending.delete(name);
        void readGroup(group, [...queued.keys()]).then(
          (values) => queued.forEach((waiters, queuedKey) => waiters.forEach((waiter) => waiter.resolve(values.get(queuedKey) ?? null))),
          (error: unknown) => queued.forEach((waiters) => waiters.forEach((waiter) => waiter.reject(error))),
        );
      });
    }
    const waiters = batch.get(key) ?? [];
    batch.set(key, waiters);
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  };
}
