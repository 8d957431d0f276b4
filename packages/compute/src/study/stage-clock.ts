/** Wall time of each stage of a study, in the order the stages ran. */
export class StageClock {
  readonly seconds: Record<string, number> = {};

  /** Runs `stage` and adds its wall time under `name`. */
  async time<T>(name: string, stage: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await stage();
    } finally {
      this.add(name, (performance.now() - started) / 1000);
    }
  }

  /** Adds seconds measured elsewhere (e.g. a part of a stage) under `name`. */
  add(name: string, seconds: number): void {
    this.seconds[name] = (this.seconds[name] ?? 0) + seconds;
  }
}
