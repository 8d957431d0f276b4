import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, DEFAULT_CLAUDE_MODEL, DEFAULT_HF_ENDPOINT, loadConfig } from "./config.js";

/** Asserts that loading `env` fails with a ConfigError whose message matches every pattern. */
function assertRejected(env: Record<string, string>, ...patterns: RegExp[]): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    },
  );
}

test("defaults apply when nothing is set", () => {
  assert.deepEqual(loadConfig({}, "/srv/app"), {
    home: "/srv/app/.interlace",
    databaseUrl: undefined,
    port: 4000,
    dashboardPort: 3000,
    backend: "auto",
    hub: { endpoint: DEFAULT_HF_ENDPOINT, token: undefined },
    host: "127.0.0.1",
    development: false,
    reads: "open",
    corsOrigins: ["http://127.0.0.1:3000", "http://localhost:3000"],
    modelRoots: ["/srv/app/.interlace/models"],
    maxRunTokens: 1_000_000,
    mutationsPerMinute: 60,
    studyCacheSize: 2,
    steerTimeoutMs: 60_000,
    explain: {
      apiKey: undefined,
      baseURL: undefined,
      model: DEFAULT_CLAUDE_MODEL,
      maxFeatures: 100,
      concurrency: 4,
      tokenBudget: 2_000_000,
    },
  });
});

test("every variable is read and typed", () => {
  const config = loadConfig(
    {
      INTERLACE_HOME: "data",
      DATABASE_URL: "postgres://u@db:5432/x",
      PORT: "8080",
      DASHBOARD_PORT: "8081",
      INTERLACE_BACKEND: "wasm",
      INTERLACE_HF_ENDPOINT: "http://127.0.0.1:8999/mirror",
      HF_TOKEN: "hf_secret",
      HOST: "0.0.0.0",
      NODE_ENV: "development",
      INTERLACE_READS: "token",
      INTERLACE_DASHBOARD_ORIGIN: "https://interlace.example.org/, http://10.0.0.2:8081",
      INTERLACE_MODEL_ROOTS: "/models:shared-models",
      INTERLACE_MAX_RUN_TOKENS: "5000",
      INTERLACE_MUTATIONS_PER_MINUTE: "10",
      INTERLACE_STUDY_CACHE_SIZE: "4",
      INTERLACE_STEER_TIMEOUT_MS: "5000",
      ANTHROPIC_API_KEY: "sk-ant-secret",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:9000",
      INTERLACE_CLAUDE_MODEL: "claude-haiku-4-5",
      INTERLACE_EXPLAIN_MAX_FEATURES: "20",
      INTERLACE_EXPLAIN_CONCURRENCY: "2",
      INTERLACE_EXPLAIN_TOKEN_BUDGET: "50000",
    },
    "/srv/app",
  );
  assert.deepEqual(config, {
    home: "/srv/app/data",
    databaseUrl: "postgres://u@db:5432/x",
    port: 8080,
    dashboardPort: 8081,
    backend: "wasm",
    hub: { endpoint: "http://127.0.0.1:8999/mirror", token: "hf_secret" },
    host: "0.0.0.0",
    development: true,
    reads: "token",
    corsOrigins: ["https://interlace.example.org", "http://10.0.0.2:8081"],
    modelRoots: ["/models", "/srv/app/shared-models"],
    maxRunTokens: 5000,
    mutationsPerMinute: 10,
    studyCacheSize: 4,
    steerTimeoutMs: 5000,
    explain: {
      apiKey: "sk-ant-secret",
      baseURL: "http://127.0.0.1:9000",
      model: "claude-haiku-4-5",
      maxFeatures: 20,
      concurrency: 2,
      tokenBudget: 50000,
    },
  });
  assert.equal(loadConfig({ INTERLACE_HOME: "/abs/home" }, "/srv").home, "/abs/home");
  assert.equal(loadConfig({ INTERLACE_BACKEND: "tensorflow" }).backend, "tensorflow");
  assert.equal(loadConfig({ INTERLACE_BACKEND: "onnxruntime" }).backend, "onnxruntime");
  assert.equal(loadConfig({ DATABASE_URL: "postgresql://db/x" }).databaseUrl, "postgresql://db/x");
});

test("empty variables count as unset", () => {
  const config = loadConfig(
    {
      INTERLACE_HOME: "",
      DATABASE_URL: "",
      PORT: "",
      DASHBOARD_PORT: "",
      INTERLACE_BACKEND: "",
      INTERLACE_HF_ENDPOINT: "",
      HF_TOKEN: "",
      HOST: "",
      INTERLACE_READS: "",
      INTERLACE_DASHBOARD_ORIGIN: "",
      INTERLACE_MODEL_ROOTS: "",
      INTERLACE_MAX_RUN_TOKENS: "",
      INTERLACE_MUTATIONS_PER_MINUTE: "",
      INTERLACE_STUDY_CACHE_SIZE: "",
      INTERLACE_STEER_TIMEOUT_MS: "",
    },
    "/srv",
  );
  assert.deepEqual(config, loadConfig({}, "/srv"));
});

test("a bad variable fails with a message naming it, its value and what it must be", () => {
  assertRejected({ PORT: "abc" }, /PORT must be a number/, /"abc"/);
  assertRejected({ ANTHROPIC_BASE_URL: "localhost:9000" }, /ANTHROPIC_BASE_URL must be an http:\/\/ or https:\/\/ URL/);
  assertRejected({ INTERLACE_EXPLAIN_CONCURRENCY: "0" }, /INTERLACE_EXPLAIN_CONCURRENCY must be between 1 and 64/);
  assertRejected({ INTERLACE_EXPLAIN_MAX_FEATURES: "lots" }, /INTERLACE_EXPLAIN_MAX_FEATURES must be a number/);
  assertRejected({ PORT: "80.5" }, /PORT must be a whole number/);
  assertRejected({ DASHBOARD_PORT: "70000" }, /DASHBOARD_PORT must be between 0 and 65535/);
  assertRejected({ DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a postgres:\/\//);
  assertRejected(
    { INTERLACE_BACKEND: "cpu" },
    /INTERLACE_BACKEND must be one of auto, onnxruntime, tensorflow, wasm \(got "cpu"\)/,
  );
  assertRejected(
    { INTERLACE_HF_ENDPOINT: "huggingface.co" },
    /INTERLACE_HF_ENDPOINT must be an http:\/\/ or https:\/\/ URL, e\.g\. https:\/\/huggingface\.co \(got "huggingface\.co"\)/,
  );
  assertRejected({ INTERLACE_HF_ENDPOINT: "ftp://mirror" }, /INTERLACE_HF_ENDPOINT must be an http/);
  assertRejected({ INTERLACE_READS: "closed" }, /INTERLACE_READS must be open .* or token/);
  assertRejected({ INTERLACE_DASHBOARD_ORIGIN: "*" }, /INTERLACE_DASHBOARD_ORIGIN must be the dashboard's origin/);
  assertRejected({ INTERLACE_MAX_RUN_TOKENS: "0" }, /INTERLACE_MAX_RUN_TOKENS must be between 1 and/);
  assertRejected({ INTERLACE_MUTATIONS_PER_MINUTE: "many" }, /INTERLACE_MUTATIONS_PER_MINUTE must be a number/);
  assertRejected({ INTERLACE_STUDY_CACHE_SIZE: "0" }, /INTERLACE_STUDY_CACHE_SIZE must be between 1 and 64/);
});

test("every bad variable is named at once", () => {
  assertRejected({ PORT: "x", INTERLACE_BACKEND: "gpu" }, /PORT must be a number/, /INTERLACE_BACKEND must be one of/);
});
