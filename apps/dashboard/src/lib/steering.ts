// Pure helpers of the steering panel and the run-my-text page: value presets, form parsing, changed tokens, URLs.

export const STEER_MODES = ["clamp", "add"] as const;
export type SteerMode = (typeof STEER_MODES)[number];
export const MAX_NEW_TOKENS = 64;
export const DEFAULT_NEW_TOKENS = 16;

/** The value presets of a feature: 0, ×2 and ×4 its max activation. */
export function valuePresets(maxActivation: number): { label: string; value: number }[] {
  const max = Number.isFinite(maxActivation) && maxActivation > 0 ? maxActivation : 1;
  return [
    { label: "0", value: 0 },
    { label: "×2 max", value: round(2 * max) },
    { label: "×4 max", value: round(4 * max) },
  ];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export type SteerForm =
  | { ok: true; mode: SteerMode; value: number; prompt: string; maxNewTokens: number }
  | { ok: false; message: string };

/** Reads the panel's fields, refusing what the server would refuse with a message naming the field. */
export function parseSteerForm(fields: {
  mode: string;
  value: string;
  prompt: string;
  maxNewTokens: string;
}): SteerForm {
  if (!(STEER_MODES as readonly string[]).includes(fields.mode)) {
    return { ok: false, message: `Mode must be clamp or add (got "${fields.mode}").` };
  }
  const value = fields.value.trim() === "" ? Number.NaN : Number(fields.value);
  if (!Number.isFinite(value)) return { ok: false, message: "Value must be a finite number, e.g. 0 or 12.5." };
  if (fields.prompt.trim() === "") return { ok: false, message: "Prompt is empty: type the text to continue." };
  const maxNewTokens = Number(fields.maxNewTokens);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1 || maxNewTokens > MAX_NEW_TOKENS) {
    return { ok: false, message: `Max new tokens must be a whole number from 1 to ${MAX_NEW_TOKENS}.` };
  }
  return { ok: true, mode: fields.mode as SteerMode, value, prompt: fields.prompt, maxNewTokens };
}

/** For each steered token, whether it differs from the baseline token at the same position. */
export function changedTokens(baseline: readonly number[], steered: readonly number[]): boolean[] {
  return steered.map((id, at) => baseline[at] !== id);
}

/** The run-my-text page of a study, with the text (and optionally the shading and the chosen token) in the URL. */
export function readTextHref(studyId: string, options: { text?: string; shade?: string; token?: number } = {}): string {
  const query = new URLSearchParams();
  if (options.text) query.set("text", options.text);
  if (options.shade) query.set("shade", options.shade);
  if (options.token !== undefined) query.set("t", String(options.token));
  const search = query.toString();
  return `/studies/${encodeURIComponent(studyId)}/read${search ? `?${search}` : ""}`;
}

/** The page of an interaction pair (smaller index first). */
export function pairHref(studyId: string, a: number, b: number): string {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return `/studies/${encodeURIComponent(studyId)}/interactions/${lo}-${hi}`;
}
