import { formatCount, formatDuration } from "./format.js";
import type { ProgressCallback, ProgressEvent } from "./types.js";

export interface CliProgressOptions {
  /** Where to write (default process.stderr). */
  stream?: { write(text: string): unknown; isTTY?: boolean };
  /** Draw a redrawn bar (default: when the stream is a terminal); otherwise print plain lines. */
  tty?: boolean;
  /** Seconds between plain lines (default 5). */
  lineIntervalSeconds?: number;
  /** Bar width in characters (default 24). */
  width?: number;
}

/** One line of text for a progress event: label, bar or percent, counts, rate and ETA. */
export function describeProgress(event: ProgressEvent, bar: string | null): string {
  const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
  const percent = `${(fraction * 100).toFixed(0).padStart(3)}%`;
  const counts = `${formatCount(event.done)}/${formatCount(event.total)} ${event.unit}`;
  const rate = `${formatCount(event.ratePerSecond)} ${event.unit}/s`;
  const tail = event.finished
    ? `done in ${formatDuration(event.elapsedSeconds)}`
    : `ETA ${event.etaSeconds === null ? "?" : formatDuration(event.etaSeconds)}`;
  return [event.label, bar, percent, counts, rate, tail].filter((part) => part !== null).join("  ");
}

/**
 * A ProgressCallback for the command line: on a terminal a bar redrawn in place; otherwise (logs, CI) a plain line
 * every few seconds and one at the end.
 */
export function cliProgress(options: CliProgressOptions = {}): ProgressCallback {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean(stream.isTTY);
  const width = options.width ?? 24;
  const interval = options.lineIntervalSeconds ?? 5;
  let lastLine = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (tty) {
      const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
      const filled = Math.round(fraction * width);
      const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
      stream.write(`\r\x1b[2K${describeProgress(event, bar)}${event.finished ? "\n" : ""}`);
      return;
    }
    if (!event.finished && (event.elapsedSeconds - lastLine < interval || event.done >= event.total)) return;
    lastLine = event.elapsedSeconds;
    stream.write(`${describeProgress(event, null)}\n`);
  };
}
