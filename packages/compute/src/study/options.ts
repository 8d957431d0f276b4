/** Settings of one study run, with the presets `interlace study run` offers. */
export interface StudySettings {
  /** Rows (token positions) harvested. */
  tokens: number;
  /** Tokens per harvested window. */
  context: number;
  /** Built-in corpus name, a .txt folder or a .jsonl file. */
  corpus: string;
  dSae: number;
  /** SAE sparsity coefficient λ. */
  l1: number;
  saeSteps: number;
  saeBatchSize: number;
  /** NFM embedding width K. */
  nfmK: number;
  /** Step budget of the NFM and of every control with a trained part, per learning rate (early stopping on the
   *  validation rows usually ends a run sooner). */
  nfmSteps: number;
  nfmBatchSize: number;
  /** Learning rates every model with a trained part is fitted at (the best on validation is kept): the same grid for
   *  the NFM and its controls. */
  nfmLrGrid: number[];
  /** Seeds for the NFM and every control. */
  seeds: number[];
  /** Run the residual-SAE control (costs seeds + 2 more SAE trainings). */
  residualSae: boolean;
  /** Training steps of each residual-SAE control run. */
  residualSaeSteps: number;
  /** Fraction of rows held out for evaluation (by document when possible). */
  heldOutFraction: number;
  /** Interaction pairs stored and reported. */
  topPairs: number;
  /** Activation examples kept per feature. */
  examplesPerFeature: number;
  /** Worker threads for SAE training and for training the NFMs and controls side by side (1 = in process). */
  workers: number;
  /** Held-out windows on which the CE loss with the SAE and SAE + NFM spliced in is measured (0 skips it). */
  ceWindows: number;
  /** Steps of the separate joint SAE + NFM fine-tuning mode (0 = off). Its figures are reported apart: the SAE
   *  itself changes, so they are not comparable with the frozen-SAE controls. */
  jointSteps: number;
}

export const PRESETS = {
  /** For tests and a first look: about a minute on two cores. */
  tiny: {
    tokens: 20_000,
    context: 128,
    corpus: "sotu",
    dSae: 256,
    l1: 3,
    saeSteps: 300,
    saeBatchSize: 1024,
    nfmK: 32,
    nfmSteps: 400,
    nfmBatchSize: 1024,
    nfmLrGrid: [3e-3],
    seeds: [0],
    residualSae: true,
    residualSaeSteps: 300,
    heldOutFraction: 0.1,
    topPairs: 100,
    examplesPerFeature: 6,
    workers: 1,
    ceWindows: 8,
    jointSteps: 0,
  },
  /**
   * A real study: 80 k tokens, SAE width 1024, two seeds for every model, each model with a trained part fitted by
   * early stopping within a budget of 5000 steps (≈ 80 epochs) at the better of two learning rates, the residual SAE
   * within 1000 steps; under 30 minutes on two cores.
   */
  default: {
    tokens: 80_000,
    context: 128,
    corpus: "sotu",
    dSae: 1024,
    l1: 3,
    saeSteps: 1600,
    saeBatchSize: 1024,
    nfmK: 64,
    nfmSteps: 5000,
    nfmBatchSize: 1024,
    nfmLrGrid: [3e-3, 1e-2],
    seeds: [0, 1],
    residualSae: true,
    residualSaeSteps: 1000,
    heldOutFraction: 0.1,
    topPairs: 200,
    examplesPerFeature: 8,
    workers: 2,
    ceWindows: 64,
    jointSteps: 0,
  },
} as const satisfies Record<string, StudySettings>;

export type PresetName = keyof typeof PRESETS;

export function presetSettings(name: string): StudySettings {
  if (!(name in PRESETS)) {
    throw new Error(`unknown preset "${name}": choose one of ${Object.keys(PRESETS).join(", ")}.`);
  }
  const preset = PRESETS[name as PresetName];
  return { ...preset, seeds: [...preset.seeds], nfmLrGrid: [...preset.nfmLrGrid] };
}
