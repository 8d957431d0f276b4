/** A fixed one-minute window per key (a token id): at most `perMinute` takes per window. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one use of `key`; returns the seconds to wait when the window is full, else 0. */
  take(key: string): number {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.forgetOld(now);
    }
    if (window.count >= this.perMinute) return Math.ceil((window.start + 60_000 - now) / 1000);
    window.count += 1;
    return 0;
  }

  private forgetOld(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(key);
  }
}
