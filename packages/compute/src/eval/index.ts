export {
  type CeLossMetrics,
  type CeLossOptions,
  ceLossScore,
  crossEntropyUnderHooks,
  saeSpliceHook,
  type VariantLosses,
  zeroAblation,
} from "./ce-loss.js";
export { type NfmSpliceMetrics, nfmSpliceMetrics, saeNfmSpliceHook } from "./nfm-splice.js";
export { type StoreWindows, storeWindows } from "./store-windows.js";
