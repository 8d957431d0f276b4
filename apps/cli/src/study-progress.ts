import { formatDuration } from "@interlace/compute/progress";
import type { StudyProgress } from "@interlace/compute/study";

/** Prints study progress: a bar redrawn in place on a terminal, a line per stage or model (and every 10 s) otherwise. */
export function studyProgressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  label = "study",
): (p: StudyProgress) => void {
  const started = Date.now();
  let lastLine = 0;
  let lastPhase = "";
  return (p) => {
    const elapsed = (Date.now() - started) / 1000;
    const eta = p.fraction > 0.02 ? formatDuration((elapsed * (1 - p.fraction)) / p.fraction) : "–";
    const percent = `${(p.fraction * 100).toFixed(1).padStart(5)}%`;
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round(p.fraction * width);
      const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
      stream.write(`\r\x1b[2K${label} ${bar} ${percent} ETA ${eta}  ${p.message}`);
      if (p.fraction >= 1) stream.write("\n");
      return;
    }
    // A line per stage and per model trained (the message up to its first number), else one every 10 s.
    const phaseName = p.message.replace(/\d.*$/, "");
    if (phaseName !== lastPhase || Date.now() - lastLine > 10_000 || p.fraction >= 1) {
      stream.write(`${label} ${percent} ETA ${eta}  ${p.message}\n`);
      lastLine = Date.now();
      lastPhase = phaseName;
    }
  };
}
