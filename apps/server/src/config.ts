import { delimiter, resolve } from "node:path";
import { BACKEND_PREFERENCES, type BackendPreference } from "@interlace/compute/backend";
import type { HubAccess } from "@interlace/compute/lm";
import { z } from "zod";

export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";
export const DEFAULT_CLAUDE_MODEL = "claude-sonnet-5-5";

/** Treats an empty variable (common in compose files and shells) as unset. */
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

const withDefault = <T extends z.ZodType>(fallback: string | number, schema: T) =>
  z.preprocess((value) => (value === undefined || value === "" ? fallback : value), schema);

const port = (fallback: number) =>
  withDefault(
    fallback,
    z.coerce
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(0, { error: "must be between 0 and 65535" })
      .max(65535, { error: "must be between 0 and 65535" }),
  );

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** A yes/no variable: 1 or true turn it on; 0, false, empty or unset leave it off. */
export const envFlag = withDefault(
  "false",
  z
    .enum(["1", "true", "0", "false"], {
      error: "must be 1 or true to turn it on, or 0, false or unset to leave it off",
    })
    .transform((value) => value === "1" || value === "true"),
);

const positiveInt = (fallback: number, max: number) =>
  withDefault(
    fallback,
    z.coerce
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: `must be between 1 and ${max}` })
      .max(max, { error: `must be between 1 and ${max}` }),
  );

/** The server's variables. The CLI extends them with its own (apps/cli/src/config.ts). */
export const serverEnv = z.object({
  INTERLACE_HOME: optionalText,
  DATABASE_URL: optionalText.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
    error: "must be a postgres:// or postgresql:// URL, or unset for the embedded database",
  }),
  PORT: port(4000),
  DASHBOARD_PORT: port(3000),
  INTERLACE_BACKEND: withDefault(
    "auto",
    z.enum(BACKEND_PREFERENCES, { error: `must be one of ${BACKEND_PREFERENCES.join(", ")}` }),
  ),
  INTERLACE_HF_ENDPOINT: withDefault(
    DEFAULT_HF_ENDPOINT,
    z.string().refine(isHttpUrl, { error: `must be an http:// or https:// URL, e.g. ${DEFAULT_HF_ENDPOINT}` }),
  ),
  HF_TOKEN: optionalText,
  HOST: withDefault("127.0.0.1", z.string()),
  NODE_ENV: optionalText,
  INTERLACE_READS: withDefault(
    "open",
    z.enum(["open", "token"], { error: "must be open (anyone may read) or token (reads need a token too)" }),
  ),
  INTERLACE_DASHBOARD_ORIGIN: optionalText.refine(
    (value) => value === undefined || value.split(",").every((origin) => isHttpUrl(origin.trim())),
    { error: "must be the dashboard's origin, e.g. https://interlace.example.org (several separated by commas)" },
  ),
  INTERLACE_MODEL_ROOTS: optionalText,
  INTERLACE_MAX_RUN_TOKENS: positiveInt(1_000_000, 1_000_000_000),
  INTERLACE_MUTATIONS_PER_MINUTE: positiveInt(60, 100_000),
  INTERLACE_STUDY_CACHE_SIZE: positiveInt(2, 64),
  INTERLACE_STEER_TIMEOUT_MS: positiveInt(60_000, 600_000),
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText.refine((value) => value === undefined || isHttpUrl(value), {
    error: "must be an http:// or https:// URL, or unset for Anthropic's API",
  }),
  INTERLACE_CLAUDE_MODEL: withDefault(DEFAULT_CLAUDE_MODEL, z.string().min(1).max(200)),
  INTERLACE_EXPLAIN_MAX_FEATURES: positiveInt(100, 100_000),
  INTERLACE_EXPLAIN_CONCURRENCY: positiveInt(4, 64),
  INTERLACE_EXPLAIN_TOKEN_BUDGET: positiveInt(2_000_000, 1_000_000_000),
});

export type ReadAccess = "open" | "token";

export interface Config {
  /** Absolute path where everything local lives (embedded database, stores, study outputs, model cache). */
  home: string;
  /** A real Postgres; undefined selects the embedded PGlite under `home/pgdata`. */
  databaseUrl: string | undefined;
  port: number;
  dashboardPort: number;
  /** The compute engine preference of every compute thread (main and workers): INTERLACE_BACKEND. */
  backend: BackendPreference;
  /** Where `--model org/name` and requested studies download models from. */
  hub: HubAccess;
  /** The interface the GraphQL server listens on (loopback unless HOST says otherwise). */
  host: string;
  /** NODE_ENV=development: error responses keep their stack traces and messages. */
  development: boolean;
  /** `open`: anyone who reaches the server may read; `token`: reads need a token too. Mutations always need one. */
  reads: ReadAccess;
  /** Browser origins allowed to call the GraphQL server directly (CORS): the dashboard's. */
  corsOrigins: string[];
  /** Folders a model requested over the API must live under (besides Hugging Face ids). */
  modelRoots: string[];
  /** The largest `tokens` a run requested over the API may ask for. */
  maxRunTokens: number;
  /** Mutations one token may send per minute (and rate-limited reads such as analyzeText, per token or client). */
  mutationsPerMinute: number;
  /** Studies whose model, SAE and NFM stay loaded for steering and text analysis (least recently used evicted). */
  studyCacheSize: number;
  /** Milliseconds a steer or analyzeText request may take, loading the study included. */
  steerTimeoutMs: number;
  /** Feature explanations written by Claude (server and worker only; never sent to the dashboard). */
  explain: ExplainConfig;
}

export interface ExplainConfig {
  /** ANTHROPIC_API_KEY; undefined: explaining is not configured and explain requests are refused. */
  apiKey: string | undefined;
  /** ANTHROPIC_BASE_URL; undefined: the SDK's default (Anthropic's API). */
  baseURL: string | undefined;
  /** INTERLACE_CLAUDE_MODEL. */
  model: string;
  /** INTERLACE_EXPLAIN_MAX_FEATURES: the most features one request may ask to explain. */
  maxFeatures: number;
  /** INTERLACE_EXPLAIN_CONCURRENCY: features explained at the same time. */
  concurrency: number;
  /** INTERLACE_EXPLAIN_TOKEN_BUDGET: input + output tokens one run may spend (a request may ask for less). */
  tokenBudget: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses `env` with `schema`; throws a ConfigError naming each bad variable, its value and what it must be. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      return `${name} ${issue.message} (got ${JSON.stringify(env[name])})`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return parsed.data;
}

/** The typed configuration of parsed server variables; relative paths resolve against `cwd`. */
export function configOf(values: z.output<typeof serverEnv>, cwd: string): Config {
  const home = resolve(cwd, values.INTERLACE_HOME ?? ".interlace");
  const dashboard = [`http://127.0.0.1:${values.DASHBOARD_PORT}`, `http://localhost:${values.DASHBOARD_PORT}`];
  return {
    home,
    databaseUrl: values.DATABASE_URL,
    port: values.PORT,
    dashboardPort: values.DASHBOARD_PORT,
    backend: values.INTERLACE_BACKEND,
    hub: { endpoint: values.INTERLACE_HF_ENDPOINT, token: values.HF_TOKEN },
    host: values.HOST,
    development: values.NODE_ENV === "development",
    reads: values.INTERLACE_READS,
    corsOrigins:
      values.INTERLACE_DASHBOARD_ORIGIN?.split(",").map((origin) => new URL(origin.trim()).origin) ?? dashboard,
    modelRoots: (
      values.INTERLACE_MODEL_ROOTS?.split(delimiter).filter((root) => root !== "") ?? [resolve(home, "models")]
    ).map((root) => resolve(cwd, root)),
    maxRunTokens: values.INTERLACE_MAX_RUN_TOKENS,
    mutationsPerMinute: values.INTERLACE_MUTATIONS_PER_MINUTE,
    studyCacheSize: values.INTERLACE_STUDY_CACHE_SIZE,
    steerTimeoutMs: values.INTERLACE_STEER_TIMEOUT_MS,
    explain: {
      apiKey: values.ANTHROPIC_API_KEY,
      baseURL: values.ANTHROPIC_BASE_URL,
      model: values.INTERLACE_CLAUDE_MODEL,
      maxFeatures: values.INTERLACE_EXPLAIN_MAX_FEATURES,
      concurrency: values.INTERLACE_EXPLAIN_CONCURRENCY,
      tokenBudget: values.INTERLACE_EXPLAIN_TOKEN_BUDGET,
    },
  };
}

/** Reads the server's configuration from environment variables; throws a ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  return configOf(parseEnv(serverEnv, env), cwd);
}
