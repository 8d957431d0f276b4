import { resolve } from "node:path";
import { z } from "zod";

/** Treats an empty variable (common in compose files and shells) as unset. */
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

const port = (fallback: number) =>
  z.preprocess(
    (value) => (value === undefined || value === "" ? fallback : value),
    z.coerce
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(0, { error: "must be between 0 and 65535" })
      .max(65535, { error: "must be between 0 and 65535" }),
  );

const envSchema = z.object({
  INTERLACE_HOME: optionalText,
  DATABASE_URL: optionalText.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
    error: "must be a postgres:// or postgresql:// URL, or unset for the embedded database",
  }),
  PORT: port(4000),
  DASHBOARD_PORT: port(3000),
  INTERLACE_BACKEND: z.preprocess(
    (value) => (value === undefined || value === "" ? "auto" : value),
    z.enum(["tensorflow", "wasm", "auto"], { error: "must be one of tensorflow, wasm, auto" }),
  ),
  ANTHROPIC_API_KEY: optionalText,
});

export type ComputeBackendChoice = "tensorflow" | "wasm" | "auto";

export interface Config {
  /** Absolute path where everything local lives (embedded database, stores, study outputs). */
  home: string;
  /** A real Postgres; undefined selects the embedded PGlite under `home/pgdata`. */
  databaseUrl: string | undefined;
  port: number;
  dashboardPort: number;
  backend: ComputeBackendChoice;
  anthropicApiKey: string | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads the server's configuration from environment variables; throws a ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      return `${name} ${issue.message} (got ${JSON.stringify(env[name])})`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const values = parsed.data;
  return {
    home: resolve(cwd, values.INTERLACE_HOME ?? ".interlace"),
    databaseUrl: values.DATABASE_URL,
    port: values.PORT,
    dashboardPort: values.DASHBOARD_PORT,
    backend: values.INTERLACE_BACKEND,
    anthropicApiKey: values.ANTHROPIC_API_KEY,
  };
}
