/** A bounded least-recently-used cache of loaded things that must be disposed when evicted (e.g. study artifacts). */
export class LruCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(
    readonly capacity: number,
    private readonly release: (value: V) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`LruCache: capacity must be ≥ 1, got ${capacity}.`);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The value of `key`, loaded with `load` on a miss; the least recently used entry is released past capacity. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const loading = load();
    this.entries.set(key, loading);
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) {
      const [oldest, value] = this.entries.entries().next().value as [string, Promise<V>];
      this.entries.delete(oldest);
      value.then(this.release, () => undefined);
    }
    return loading;
  }

  clear(): void {
    for (const value of this.entries.values()) value.then(this.release, () => undefined);
    this.entries.clear();
  }
}
