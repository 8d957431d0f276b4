import type { Command } from "./command.js";

/** The command whose path is the longest prefix of argv. */
export function findCommand(commands: readonly Command[], argv: string[]): { command: Command; rest: string[] } | null {
  let best: Command | null = null;
  for (const command of commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : null;
}

export function overviewText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(" ").length));
  const lines = commands.map((c) => `  ${c.path.join(" ").padEnd(width)}  ${c.summary}`);
  return `Usage: interlace <command> [flags]\n\nCommands:\n${lines.join("\n")}\n\nRun \`interlace <command> --help\` for a command's flags.\n`;
}

export function helpText(command: Command): string {
  return `Usage: interlace ${command.path.join(" ")} [flags]\n\n${command.summary}\n\n${command.usage.trimEnd()}\n  -h, --help  show this help\n`;
}
