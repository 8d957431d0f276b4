export { type CliProgressOptions, cliProgress, describeProgress } from "./cli-progress.js";
export { formatCount, formatDuration } from "./format.js";
export { ProgressTracker, type ProgressTrackerOptions } from "./tracker.js";
export type { ProgressCallback, ProgressEvent } from "./types.js";
