// The stimulus design form: its fields to the design the API takes, checked in the browser as the server checks it
// (the server checks again, with the study's tokenizer and SAE).

export const CELLS = ["a0b0", "a0b1", "a1b0", "a1b1"] as const;
export type Cell = (typeof CELLS)[number];
export const READOUTS = ["last", "max", "mean"] as const;
export const MIN_PROMPTS = 5;
export const MAX_PROMPTS = 100;
export const MAX_PROMPT_CHARS = 2000;
export const MAX_TARGETS = 64;

export interface DesignFields {
  name: string;
  aName: string;
  aAbsent: string;
  aPresent: string;
  bName: string;
  bAbsent: string;
  bPresent: string;
  readout: string;
  /** One prompt per line. */
  prompts: Record<Cell, string>;
  /** Comma- or space-separated feature indices. */
  targets: string;
  measure: string;
  anovaType: string;
}

export interface StimulusDesignInput {
  name: string;
  a: { name: string; levels: [string, string] };
  b: { name: string; levels: [string, string] };
  readout: (typeof READOUTS)[number];
  prompts: Record<Cell, string[]>;
  targets?: number[];
}

export type DesignFormOutcome =
  | { ok: true; design: StimulusDesignInput; measure: string; anovaType: 2 | 3 }
  | { ok: false; field: string; message: string };

/** The cell's description with the factor levels, e.g. "a1b0 (place Mexico, topic no war)". */
export function cellLabel(
  cell: Cell,
  fields: Pick<DesignFields, "aName" | "aAbsent" | "aPresent" | "bName" | "bAbsent" | "bPresent">,
): string {
  const a = cell[1] === "1" ? fields.aPresent : fields.aAbsent;
  const b = cell[3] === "1" ? fields.bPresent : fields.bAbsent;
  return `${cell} (${fields.aName || "A"} ${a || "?"}, ${fields.bName || "B"} ${b || "?"})`;
}

export function promptLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export function parseDesignFields(fields: DesignFields): DesignFormOutcome {
  const fail = (field: string, message: string): DesignFormOutcome => ({ ok: false, field, message });
  const texts: [keyof DesignFields, string][] = [
    ["name", "the analysis name"],
    ["aName", "factor A's name"],
    ["aAbsent", "factor A's absent level"],
    ["aPresent", "factor A's present level"],
    ["bName", "factor B's name"],
    ["bAbsent", "factor B's absent level"],
    ["bPresent", "factor B's present level"],
  ];
  for (const [key, label] of texts) {
    const value = String(fields[key]).trim();
    if (value === "") return fail(key, `Give ${label}.`);
    if (value.length > 200) return fail(key, `${label} is ${value.length} characters; keep it to 200.`);
  }
  if (!(READOUTS as readonly string[]).includes(fields.readout)) {
    return fail("readout", `Choose the tokens to read: ${READOUTS.join(", ")}.`);
  }
  const prompts = {} as Record<Cell, string[]>;
  for (const cell of CELLS) {
    const lines = promptLines(fields.prompts[cell]);
    if (lines.length < MIN_PROMPTS) {
      return fail(
        `prompts.${cell}`,
        `Cell ${cellLabel(cell, fields)} has ${lines.length} prompts; give at least ${MIN_PROMPTS}, one per line.`,
      );
    }
    if (lines.length > MAX_PROMPTS)
      return fail(`prompts.${cell}`, `Cell ${cell} has ${lines.length} prompts; at most ${MAX_PROMPTS}.`);
    const long = lines.findIndex((line) => line.length > MAX_PROMPT_CHARS);
    if (long >= 0)
      return fail(`prompts.${cell}`, `Prompt ${long + 1} of cell ${cell} is over ${MAX_PROMPT_CHARS} characters.`);
    prompts[cell] = lines;
  }
  const targetText = fields.targets.trim();
  const targets = targetText === "" ? [] : targetText.split(/[\s,]+/).map(Number);
  if (targets.some((t) => !Number.isInteger(t) || t < 0)) {
    return fail("targets", "Targets are feature indices (whole numbers ≥ 0), separated by commas.");
  }
  if (targets.length > MAX_TARGETS) return fail("targets", `At most ${MAX_TARGETS} target features.`);
  const measure = fields.measure.trim() || "interaction_norm";
  if (!/^(interaction_norm|residual_norm|linear_norm|feature:\d+|k_dim:\d+)$/.test(measure)) {
    return fail("measure", "The measure is interaction_norm, residual_norm, linear_norm, feature:<i> or k_dim:<k>.");
  }
  if (fields.anovaType !== "2" && fields.anovaType !== "3") return fail("anovaType", "The ANOVA type is 2 or 3.");
  return {
    ok: true,
    design: {
      name: fields.name.trim(),
      a: { name: fields.aName.trim(), levels: [fields.aAbsent.trim(), fields.aPresent.trim()] },
      b: { name: fields.bName.trim(), levels: [fields.bAbsent.trim(), fields.bPresent.trim()] },
      readout: fields.readout as StimulusDesignInput["readout"],
      prompts,
      ...(targets.length > 0 ? { targets } : {}),
    },
    measure,
    anovaType: fields.anovaType === "3" ? 3 : 2,
  };
}

/** The form's fields for a design (the demo design offered as an example). */
export function fieldsOfDesign(design: unknown): DesignFields | null {
  if (typeof design !== "object" || design === null) return null;
  const d = design as Partial<StimulusDesignInput>;
  if (!d.a || !d.b || !d.prompts) return null;
  return {
    name: d.name ?? "",
    aName: d.a.name,
    aAbsent: d.a.levels[0],
    aPresent: d.a.levels[1],
    bName: d.b.name,
    bAbsent: d.b.levels[0],
    bPresent: d.b.levels[1],
    readout: d.readout ?? "last",
    prompts: Object.fromEntries(CELLS.map((c) => [c, (d.prompts?.[c] ?? []).join("\n")])) as Record<Cell, string>,
    targets: (d.targets ?? []).join(", "),
    measure: "interaction_norm",
    anovaType: "2",
  };
}

export const EMPTY_FIELDS: DesignFields = {
  name: "",
  aName: "",
  aAbsent: "absent",
  aPresent: "",
  bName: "",
  bAbsent: "absent",
  bPresent: "",
  readout: "last",
  prompts: { a0b0: "", a0b1: "", a1b0: "", a1b1: "" },
  targets: "",
  measure: "interaction_norm",
  anovaType: "2",
};
