/**
 * Collects the keys requested during one turn of the event loop and loads them with one call —
 * how sibling field resolvers (e.g. each feature's examples in a page) share one query.
 */
export class TickBatcher<K, V> {
  private pending: { key: K; resolve: (value: V) => void; reject: (error: unknown) => void }[] = [];

  /** `loadMany` returns one value per key, in the keys' order. */
  constructor(private readonly loadMany: (keys: K[]) => Promise<V[]>) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ key, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const values = await this.loadMany(batch.map((item) => item.key));
      batch.forEach((item, i) => {
        item.resolve(values[i] as V);
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}
