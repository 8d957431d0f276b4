/**
 * A stimulus-response design: two factors A and B, each absent/present, and prompts for the four cells
 * (a0b0 = neither, a0b1 = B only, a1b0 = A only, a1b1 = both). The CLI, the API and the dashboard's form all take
 * this one shape. A prompt may mark a span with [[ and ]]: the readout then pools only the span's tokens.
 */
export const CELL_KEYS = ["a0b0", "a0b1", "a1b0", "a1b1"] as const;
export type CellKey = (typeof CELL_KEYS)[number];

export const READOUTS = ["last", "max", "mean"] as const;
export type Readout = (typeof READOUTS)[number];

export interface Factor {
  name: string;
  /** [absent, present]. */
  levels: [string, string];
}

export interface StimulusDesign {
  name: string;
  a: Factor;
  b: Factor;
  readout: Readout;
  prompts: Record<CellKey, string[]>;
  /** Features to report whatever their rank (discovery runs in every case). */
  targets?: number[];
}

export const DESIGN_LIMITS = {
  minPromptsPerCell: 5,
  maxPromptsPerCell: 100,
  maxPromptChars: 2000,
  maxNameChars: 200,
  maxTargets: 64,
} as const;

/** A design that cannot run; `field` names the part of the design to fix (e.g. `prompts.a1b0[2]`). */
export class DesignError extends Error {
  override name = "DesignError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Level of A and B of a cell key. */
export function cellLevels(cell: CellKey): { a: 0 | 1; b: 0 | 1 } {
  return { a: cell[1] === "1" ? 1 : 0, b: cell[3] === "1" ? 1 : 0 };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown, field: string, max: number = DESIGN_LIMITS.maxNameChars): string {
  if (typeof value !== "string" || value.trim() === "") throw new DesignError(field, "give a non-empty text.");
  if (value.length > max) throw new DesignError(field, `is ${value.length} characters; keep it to ${max}.`);
  return value.trim();
}

function factor(value: unknown, field: "a" | "b"): Factor {
  if (!isObject(value)) throw new DesignError(field, 'give {"name", "levels": [absent, present]}.');
  const levels = value["levels"];
  if (!Array.isArray(levels) || levels.length !== 2) {
    throw new DesignError(`${field}.levels`, "give exactly two level labels: [absent, present].");
  }
  return {
    name: text(value["name"], `${field}.name`),
    levels: [text(levels[0], `${field}.levels[0]`), text(levels[1], `${field}.levels[1]`)],
  };
}

/** Checks a prompt's [[span]] markers: at most one span, opened before it closes, not empty. */
export function splitSpan(prompt: string): { before: string; span: string; after: string } | null {
  const open = prompt.indexOf("[[");
  const close = prompt.indexOf("]]");
  if (open < 0 && close < 0) return null;
  if (open < 0 || close < open || prompt.indexOf("[[", open + 2) >= 0 || prompt.indexOf("]]", close + 2) >= 0) {
    throw new Error("marks its span wrongly; mark one span as [[like this]].");
  }
  const span = prompt.slice(open + 2, close);
  if (span.trim() === "") throw new Error("marks an empty span; put the words to read between [[ and ]].");
  return { before: prompt.slice(0, open), span, after: prompt.slice(close + 2) };
}

/** The design in `raw` (parsed JSON), or a DesignError naming the first field to fix. */
export function parseDesign(raw: unknown): StimulusDesign {
  if (!isObject(raw)) throw new DesignError("design", 'give a JSON object {"name", "a", "b", "readout", "prompts"}.');
  const name = text(raw["name"], "name");
  const a = factor(raw["a"], "a");
  const b = factor(raw["b"], "b");
  const readout = raw["readout"] ?? "last";
  if (typeof readout !== "string" || !(READOUTS as readonly string[]).includes(readout)) {
    throw new DesignError("readout", `must be one of ${READOUTS.join(", ")}; got ${JSON.stringify(readout)}.`);
  }
  const promptsRaw = raw["prompts"];
  if (!isObject(promptsRaw)) throw new DesignError("prompts", `give an object with ${CELL_KEYS.join(", ")}.`);
  const unknown = Object.keys(promptsRaw).filter((k) => !(CELL_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new DesignError("prompts", `has unknown cell ${unknown.join(", ")}; the cells are ${CELL_KEYS.join(", ")}.`);
  }
  const prompts = {} as Record<CellKey, string[]>;
  for (const cell of CELL_KEYS) {
    const list = promptsRaw[cell];
    const field = `prompts.${cell}`;
    const levels = cellLevels(cell);
    const label = `(${a.name} ${a.levels[levels.a]}, ${b.name} ${b.levels[levels.b]})`;
    if (!Array.isArray(list)) throw new DesignError(field, `give a list of prompts for the cell ${label}.`);
    if (list.length < DESIGN_LIMITS.minPromptsPerCell) {
      throw new DesignError(
        field,
        `cell ${label} has ${list.length} prompts; give at least ${DESIGN_LIMITS.minPromptsPerCell}.`,
      );
    }
    if (list.length > DESIGN_LIMITS.maxPromptsPerCell) {
      throw new DesignError(field, `has ${list.length} prompts; at most ${DESIGN_LIMITS.maxPromptsPerCell} per cell.`);
    }
    prompts[cell] = list.map((prompt, i) => {
      const at = `${field}[${i}]`;
      if (typeof prompt !== "string" || prompt.trim() === "") throw new DesignError(at, "is empty; write a prompt.");
      if (prompt.length > DESIGN_LIMITS.maxPromptChars) {
        throw new DesignError(at, `is ${prompt.length} characters; keep prompts to ${DESIGN_LIMITS.maxPromptChars}.`);
      }
      try {
        splitSpan(prompt);
      } catch (error) {
        throw new DesignError(at, (error as Error).message);
      }
      return prompt;
    });
  }
  const design: StimulusDesign = { name, a, b, readout: readout as Readout, prompts };
  const targets = raw["targets"];
  if (targets !== undefined && targets !== null) {
    if (!Array.isArray(targets) || targets.length > DESIGN_LIMITS.maxTargets) {
      throw new DesignError("targets", `give a list of at most ${DESIGN_LIMITS.maxTargets} feature indices.`);
    }
    design.targets = targets.map((t, i) => {
      if (!Number.isInteger(t) || (t as number) < 0) {
        throw new DesignError(`targets[${i}]`, `${JSON.stringify(t)} is not a feature index (an integer ≥ 0).`);
      }
      return t as number;
    });
    design.targets = [...new Set(design.targets)];
  }
  return design;
}

/** What a design is checked against before it runs: the study's tokenizer, context and SAE width. */
export interface DesignLimits {
  /** Tokens a prompt may have (the study's context). */
  context: number;
  dSae: number;
  /** Token count of a prompt as the study reads it (BOS included when the study prepends one). */
  tokenCount(prompt: string): number;
}

/** Checks what needs the study: prompt lengths in tokens and target indices. */
export function checkDesignForStudy(design: StimulusDesign, limits: DesignLimits): void {
  for (const cell of CELL_KEYS) {
    design.prompts[cell].forEach((prompt, i) => {
      const count = limits.tokenCount(prompt.replace("[[", "").replace("]]", ""));
      if (count > limits.context) {
        throw new DesignError(
          `prompts.${cell}[${i}]`,
          `has ${count} tokens, more than the study's context of ${limits.context}; shorten it.`,
        );
      }
    });
  }
  design.targets?.forEach((t, i) => {
    if (t >= limits.dSae) {
      throw new DesignError(
        `targets[${i}]`,
        `feature ${t} is out of range; the study's SAE has features 0..${limits.dSae - 1}.`,
      );
    }
  });
}
