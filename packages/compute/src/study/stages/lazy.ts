/** A resource loaded on first use and disposed once, e.g. the language model the harvest and the CE stage share. */
export interface Lazy<T> {
  get(): Promise<T>;
  dispose(): void;
}

export function lazy<T extends { dispose(): void }>(load: () => Promise<T>): Lazy<T> {
  let loading: Promise<T> | null = null;
  let loaded: T | null = null;
  return {
    get() {
      loading ??= load().then((value) => {
        loaded = value;
        return value;
      });
      return loading;
    },
    dispose() {
      loaded?.dispose();
      loaded = null;
      loading = null;
    },
  };
}
