/**
 * Two-way ANOVA of y on factors A and B with their interaction, for unbalanced cells. Factors are coded with
 * sum-to-zero contrasts (R's contr.sum), so the type III tests of main effects are the usual "equal weight per cell"
 * ones; type II tests each main effect after the other and ignore the interaction (car::Anova's types II and III).
 * Every cell needs at least one observation. The design is built once and fits any number of responses (discovery runs
 * one ANOVA per feature on the same prompts).
 */
import { fUpperTail } from "./distributions.js";
import { ColumnSpace } from "./least-squares.js";

export type AnovaType = 2 | 3;

export interface TwoWayData {
  /** Level of A of each observation, 0..levelsA−1. */
  a: ArrayLike<number>;
  /** Level of B of each observation, 0..levelsB−1. */
  b: ArrayLike<number>;
  /** Number of levels of A (default: largest level + 1). */
  levelsA?: number;
  levelsB?: number;
}

export interface AnovaTerm {
  ss: number;
  df: number;
  F: number;
  p: number;
  /** SS_term / (SS_term + SS_residual). */
  partialEta2: number;
}

export interface TwoWayAnova {
  type: AnovaType;
  a: AnovaTerm;
  b: AnovaTerm;
  ab: AnovaTerm;
  residual: { ss: number; df: number };
}

function sumCoded(levels: ArrayLike<number>, count: number): Float64Array[] {
  const n = levels.length;
  return Array.from({ length: count - 1 }, (_, j) => {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const level = levels[i]!;
      column[i] = level === j ? 1 : level === count - 1 ? -1 : 0;
    }
    return column;
  });
}

function checkLevels(name: string, levels: ArrayLike<number>, n: number, count: number | undefined): number {
  if (levels.length !== n) throw new Error(`factor ${name} has ${levels.length} entries for ${n} observations.`);
  let max = -1;
  for (let i = 0; i < n; i++) {
    const level = levels[i]!;
    if (!Number.isInteger(level) || level < 0) {
      throw new Error(`factor ${name}: observation ${i} has level ${level}; levels are integers from 0.`);
    }
    max = Math.max(max, level);
  }
  const levelCount = count ?? max + 1;
  if (max >= levelCount) throw new Error(`factor ${name} has level ${max} but only ${levelCount} levels.`);
  if (levelCount < 2) throw new Error(`factor ${name} needs at least 2 levels, got ${levelCount}.`);
  return levelCount;
}

/** A two-way design (the factor levels of n observations), ready to fit responses. */
export class TwoWayDesign {
  readonly n: number;
  readonly levelsA: number;
  readonly levelsB: number;
  /** Observations per cell, index a·levelsB + b. */
  readonly cellCounts: Int32Array;
  /** Cell index of each observation. */
  readonly cellOf: Int32Array;
  readonly full: ColumnSpace;
  readonly additive: ColumnSpace;
  private readonly onlyA: ColumnSpace;
  private readonly onlyB: ColumnSpace;
  private readonly withoutA: ColumnSpace;
  private readonly withoutB: ColumnSpace;
  readonly df: { a: number; b: number; ab: number; residual: number };

  constructor(data: TwoWayData) {
    const n = data.a.length;
    this.n = n;
    this.levelsA = checkLevels("A", data.a, n, data.levelsA);
    this.levelsB = checkLevels("B", data.b, n, data.levelsB);
    this.cellOf = new Int32Array(n);
    this.cellCounts = new Int32Array(this.levelsA * this.levelsB);
    for (let i = 0; i < n; i++) {
      const cell = data.a[i]! * this.levelsB + data.b[i]!;
      this.cellOf[i] = cell;
      this.cellCounts[cell]!++;
    }
    this.cellCounts.forEach((count, cell) => {
      if (count === 0) {
        throw new Error(
          `cell A=${Math.floor(cell / this.levelsB)}, B=${cell % this.levelsB} has no observations; every cell needs at least one.`,
        );
      }
    });
    const one = [new Float64Array(n).fill(1)];
    const a = sumCoded(data.a, this.levelsA);
    const b = sumCoded(data.b, this.levelsB);
    const ab = a.flatMap((ca) => b.map((cb) => ca.map((v, i) => v * cb[i]!)));
    this.full = new ColumnSpace(n, [...one, ...a, ...b, ...ab]);
    this.additive = new ColumnSpace(n, [...one, ...a, ...b]);
    this.onlyA = new ColumnSpace(n, [...one, ...a]);
    this.onlyB = new ColumnSpace(n, [...one, ...b]);
    this.withoutA = new ColumnSpace(n, [...one, ...b, ...ab]);
    this.withoutB = new ColumnSpace(n, [...one, ...a, ...ab]);
    const residual = n - this.full.rank;
    if (residual < 1) {
      throw new Error(
        `${n} observations in ${this.cellCounts.length} cells leave no residual degrees of freedom; add observations so some cell has two.`,
      );
    }
    this.df = { a: this.levelsA - 1, b: this.levelsB - 1, ab: (this.levelsA - 1) * (this.levelsB - 1), residual };
  }

  /** The F of the A×B term of y (what the permutation test recomputes). */
  interactionF(y: ArrayLike<number>, scratch?: Float64Array): number {
    const rss = this.full.rss(y, scratch);
    const ss = Math.max(0, this.additive.rss(y, scratch) - rss);
    return ss / this.df.ab / (rss / this.df.residual);
  }

  /** The ANOVA table of y (type II or III). */
  fit(y: ArrayLike<number>, type: AnovaType = 2): TwoWayAnova {
    if (y.length !== this.n) throw new Error(`the response has ${y.length} values for ${this.n} observations.`);
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i])) throw new Error(`response value ${i} is ${y[i]}; every value must be finite.`);
    }
    if (type !== 2 && type !== 3) throw new Error(`ANOVA type must be 2 or 3, got ${type}.`);
    const scratch = new Float64Array(this.n);
    const rss = this.full.rss(y, scratch);
    const additive = this.additive.rss(y, scratch);
    const ssA = type === 2 ? this.onlyB.rss(y, scratch) - additive : this.withoutA.rss(y, scratch) - rss;
    const ssB = type === 2 ? this.onlyA.rss(y, scratch) - additive : this.withoutB.rss(y, scratch) - rss;
    const dfe = this.df.residual;
    const constant = isConstant(y);
    const term = (ss: number, df: number): AnovaTerm => {
      if (constant) return { ss: 0, df, F: Number.NaN, p: Number.NaN, partialEta2: Number.NaN };
      const clean = Math.max(0, ss);
      const F = clean / df / (rss / dfe);
      return {
        ss: clean,
        df,
        F,
        p: Number.isNaN(F) ? Number.NaN : fUpperTail(F, df, dfe),
        partialEta2: clean / (clean + rss),
      };
    };
    return {
      type,
      a: term(ssA, this.df.a),
      b: term(ssB, this.df.b),
      ab: term(additive - rss, this.df.ab),
      residual: { ss: rss, df: dfe },
    };
  }
}

/** True when every value is the same: such a response has no ANOVA (F is 0/0). */
export function isConstant(y: ArrayLike<number>): boolean {
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) return false;
  return true;
}

/** One-off two-way ANOVA of y. */
export function twoWayAnova(y: ArrayLike<number>, data: TwoWayData, type: AnovaType = 2): TwoWayAnova {
  return new TwoWayDesign(data).fit(y, type);
}

/** Level codes (0, 1, …) of a column of labels, levels in order of first appearance. */
export function factorCodes(labels: readonly string[]): { codes: Int32Array; levels: string[] } {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(labels, (label) => {
    let code = index.get(label);
    if (code === undefined) {
      code = levels.length;
      index.set(label, code);
      levels.push(label);
    }
    return code;
  });
  return { codes, levels };
}
