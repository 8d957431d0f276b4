import { chooseEngine, type EngineChoice } from "@interlace/compute/backend";
import type { Command } from "../command.js";

const SOURCES: Record<EngineChoice["source"], string> = {
  preference: "named by INTERLACE_BACKEND",
  cached: "the fastest measured, read from the cache",
  measured: "the fastest, measured now",
};

/** The report `interlace doctor` prints: the engine, why it runs, and each engine's measured speed. */
export function doctorReport(
  choice: EngineChoice,
  preference: string,
  env: Record<string, string | undefined> = process.env,
): string {
  const lines = [
    `INTERLACE_BACKEND: ${preference}`,
    `engine: ${choice.engine} (${SOURCES[choice.source]})`,
    `cache: ${choice.cachePath}`,
    `allocator: ${env["GLIBC_TUNABLES"] ? `GLIBC_TUNABLES=${env["GLIBC_TUNABLES"]}` : "glibc defaults (not started through bin/interlace.mjs on Linux)"}`,
  ];
  const m = choice.measurement;
  if (m === null) {
    lines.push("measured: not on this machine yet; run `interlace doctor --measure`.");
  } else {
    lines.push(`machine: ${m.machine}`);
    lines.push(
      `measured ${m.measuredAt}: x[1024,256]·W[256,1024]+b, tfjs on one thread, onnxruntime on ${m.onnxThreads}:`,
    );
    for (const [engine, gflops] of Object.entries(m.gflops)) lines.push(`  ${engine.padEnd(11)} ${gflops} GFLOP/s`);
    for (const [engine, why] of Object.entries(m.unavailable)) lines.push(`  ${engine.padEnd(11)} unavailable: ${why}`);
  }
  return `${lines.join("\n")}\n`;
}

export const doctorCommand: Command = {
  path: ["doctor"],
  summary: "Show the compute engine this machine runs and why; --measure measures every installed engine again.",
  usage:
    "Flags:\n" +
    "  --measure  measure each installed engine now and cache the result in $INTERLACE_HOME/engine.json\n" +
    "INTERLACE_BACKEND=auto (the default) runs the fastest measured engine; onnxruntime, tensorflow or wasm force one.\n",
  options: { measure: { type: "boolean" } },
  usesEngine: false,
  async run(values, _positionals, config) {
    const choice = await chooseEngine(config.backend, { home: config.home, remeasure: values.measure === true });
    process.stdout.write(doctorReport(choice, config.backend));
  },
};
