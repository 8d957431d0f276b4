/** Test support: runs a CLI command in process, as `interlace` would, and returns what it printed on stdout. */

import { type Command, parseCommandArgs } from "../command.js";
import type { CliConfig } from "../config.js";

export async function runCommandCapturing(
  command: Command,
  argv: string[],
  config: CliConfig,
  options: { quietStderr?: boolean } = {},
): Promise<string> {
  const { values, positionals } = parseCommandArgs(command, argv);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  if (options.quietStderr) process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await command.run(values, positionals, config);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  return chunks.join("");
}
