export { type CeLossMetrics, type CeLossOptions, ceLossScore, saeSpliceHook } from "./ce-loss.js";
export { type StoreWindows, storeWindows } from "./store-windows.js";
