export {
  type ChartMeasure,
  checkDesign,
  runStimulusAnalysis,
  type StimulusOptions,
  type StimulusResult,
  type StimulusResultRecord,
  stimulusResultJson,
  stimulusResultRecord,
} from "./analysis.js";
export { analyseMeasure, type CellStat, type MeasureAnalysis } from "./cell-analysis.js";
export { DEMO_DESIGN_PATH, demoDesign } from "./demo.js";
export {
  CELL_KEYS,
  type CellKey,
  cellLevels,
  DESIGN_LIMITS,
  DesignError,
  type Factor,
  parseDesign,
  READOUTS,
  type Readout,
  type StimulusDesign,
} from "./design.js";
export { type Discovery, EFFECTS, type EffectName, type ItemEffect } from "./discovery.js";
export { type Measure, MeasureError, measureName, NORM_MEASURES, parseMeasure } from "./measure-names.js";
export type { PromptMeasures, StimulusModels } from "./measures.js";
export type { PairEffect } from "./pairs.js";
export { checkDesignForStudyFolder } from "./study-check.js";
