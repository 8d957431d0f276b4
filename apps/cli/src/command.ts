import { type ParseArgsConfig, parseArgs } from "node:util";
import type { CliConfig } from "./config.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;
export type ParsedValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** One `interlace` sub-command. `path` is its words, e.g. ["study", "run"]. */
export interface Command {
  path: readonly string[];
  summary: string;
  /** Shown by --help: one line per flag with its default. */
  usage: string;
  options: OptionSpec;
  /**
   * Whether the command computes (default true): main.ts then resolves INTERLACE_BACKEND=auto to an engine once,
   * from the measurement cached in $INTERLACE_HOME, before running it.
   */
  usesEngine?: boolean;
  /** Runs the command with its flags and the configuration main.ts read once from the environment. */
  run(values: ParsedValues, positionals: string[], config: CliConfig): Promise<void>;
}

/** Thrown for bad input: the CLI prints the message (which names the fix) and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function parseCommandArgs(command: Command, argv: string[]): { values: ParsedValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedValues, positionals };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${reason}\nRun \`interlace ${command.path.join(" ")} --help\` for the flags it takes.`);
  }
}

/** Reads a numeric flag, failing with a message that names the flag. */
export function intFlag(values: ParsedValues, name: string, fallback: number, min = 0): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== "string" || !Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}.`);
  }
  return n;
}

export function floatFlag(values: ParsedValues, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== "string" || !Number.isFinite(n)) {
    throw new UsageError(`--${name} must be a number, got ${JSON.stringify(raw)}.`);
  }
  return n;
}

export function stringFlag(values: ParsedValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === "string" ? raw : undefined;
}

export function requiredString(values: ParsedValues, name: string, hint: string): string {
  const value = stringFlag(values, name);
  if (value === undefined || value === "") throw new UsageError(`--${name} is required: ${hint}`);
  return value;
}
