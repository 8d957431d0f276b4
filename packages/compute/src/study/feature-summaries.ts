import type { ResidualData } from "../nfm/residual-data.js";
import type { ActivationExampleData, FeatureSummary } from "./types.js";

/** Where an example's tokens come from: the store's window around a row, and the loaded row of each store row. */
export interface ExampleSource {
  /** Token ids around `storeRow` and the position of storeRow among them. */
  context(storeRow: number): { tokens: number[]; position: number };
  tokenString(id: number): string;
}

interface Candidate {
  row: number;
  value: number;
}

/** Keeps the `size` largest candidates, at most one per window. */
class TopExamples {
  private readonly items: Candidate[] = [];
  constructor(
    private readonly size: number,
    private readonly windowOf: (row: number) => number,
  ) {}

  offer(row: number, value: number): void {
    const window = this.windowOf(row);
    const same = this.items.findIndex((c) => this.windowOf(c.row) === window);
    if (same >= 0) {
      if (this.items[same]!.value < value) this.items[same] = { row, value };
      return;
    }
    if (this.items.length < this.size) {
      this.items.push({ row, value });
      return;
    }
    let min = 0;
    for (let i = 1; i < this.items.length; i++) if (this.items[i]!.value < this.items[min]!.value) min = i;
    if (this.items[min]!.value < value) this.items[min] = { row, value };
  }

  sorted(): Candidate[] {
    return [...this.items].sort((a, b) => b.value - a.value);
  }
}

export interface FeatureSummaryInput {
  data: ResidualData;
  /** Store row of each loaded row. */
  storeRows: Int32Array;
  /** Loaded rows whose activations define density (held-out rows). */
  densityRows: Int32Array;
  context: number;
  examplesPerFeature: number;
  source: ExampleSource;
}

/**
 * Density (on held-out rows), max activation and the top activating windows of every feature, each window's tokens
 * carrying the feature's activation so a dashboard can shade them.
 */
export function summariseFeatures(input: FeatureSummaryInput): FeatureSummary[] {
  const { data, storeRows, context } = input;
  const loadedOf = new Map<number, number>();
  for (let row = 0; row < storeRows.length; row++) loadedOf.set(storeRows[row]!, row);

  const fires = new Float64Array(data.dSae);
  for (const row of input.densityRows) for (const i of data.activeFeatures(row).index) fires[i]! += 1;

  const maxActivation = new Float64Array(data.dSae);
  const top = Array.from(
    { length: data.dSae },
    () => new TopExamples(input.examplesPerFeature, (row) => Math.floor(storeRows[row]! / context)),
  );
  for (let row = 0; row < data.rows; row++) {
    const { index, value } = data.activeFeatures(row);
    for (let j = 0; j < index.length; j++) {
      const i = index[j]!;
      const v = value[j]!;
      if (v > maxActivation[i]!) maxActivation[i] = v;
      top[i]!.offer(row, v);
    }
  }

  const valueAt = (row: number | undefined, feature: number): number => {
    if (row === undefined) return 0;
    const { index, value } = data.activeFeatures(row);
    const at = index.indexOf(feature);
    return at >= 0 ? value[at]! : 0;
  };

  const densityRows = Math.max(1, input.densityRows.length);
  return Array.from({ length: data.dSae }, (_, feature) => {
    const examples: ActivationExampleData[] = top[feature]!.sorted().map(({ row, value }) => {
      const storeRow = storeRows[row]!;
      const { tokens, position } = input.source.context(storeRow);
      return {
        tokens: tokens.map((id) => input.source.tokenString(id)),
        values: tokens.map((_, i) => valueAt(loadedOf.get(storeRow - position + i), feature)),
        maxValue: value,
      };
    });
    return {
      index: feature,
      density: fires[feature]! / densityRows,
      maxActivation: maxActivation[feature]!,
      examples,
    };
  });
}
