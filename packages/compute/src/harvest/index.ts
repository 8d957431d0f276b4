export { encodeLong } from "./encode-long.js";
export { type HarvestOptions, type HarvestResult, harvest, rowsPerShardFor } from "./harvest.js";
export { cutWindows, NO_DOCUMENT, type TokenWindow, type WindowOptions } from "./windows.js";
