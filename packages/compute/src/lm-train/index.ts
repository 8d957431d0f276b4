export { type CosineSchedule, cosineLr } from "./cosine-schedule.js";
export { type CurvePoint, type Gpt2Shape, gpt2ConfigJson, type TrainingRecord } from "./demo-config.js";
export { type CutBpe, cutGpt2Bpe, END_OF_TEXT, GPT2_MERGES, tokenizerConfigJson, tokenizerJson } from "./gpt2-bpe.js";
export { type Gpt2Params, huggingFaceTensors, initGpt2Params } from "./gpt2-params.js";
export { gpt2Logits, windowBatch, windowLoss } from "./gpt2-train-forward.js";
export { evenWindows, randomWindows, type TokenStreams, tokenStreams } from "./token-data.js";
export {
  DEFAULT_DEMO_SIZE,
  type DemoModelSize,
  heldOutLoss,
  type TrainDemoModelOptions,
  type TrainDemoModelResult,
  trainDemoModel,
} from "./train-demo-model.js";
export { writeModelFiles, writeTokenizerFiles } from "./write-gpt2-model.js";
