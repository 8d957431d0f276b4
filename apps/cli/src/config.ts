/**
 * The CLI's configuration, read once per run in main.ts and passed to every command: the server's variables (the CLI
 * starts the server, its worker and the compute commands) plus the CLI's own.
 */
import { type Config, configOf, envFlag, parseEnv, serverEnv } from "@interlace/server";

const cliEnv = serverEnv.extend({
  /** Print the stack trace of a failed command, not only its message. */
  INTERLACE_DEBUG: envFlag,
});

export interface CliConfig extends Config {
  debug: boolean;
}

/** Reads the CLI's configuration; throws a ConfigError naming each bad variable. */
export function loadCliConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): CliConfig {
  const values = parseEnv(cliEnv, env);
  return { ...configOf(values, cwd), debug: values.INTERLACE_DEBUG };
}
