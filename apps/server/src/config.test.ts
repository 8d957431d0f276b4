import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./config.js";

test("defaults apply when nothing is set", () => {
  const config = loadConfig({}, "/srv/app");
  assert.deepEqual(config, {
    home: "/srv/app/.interlace",
    databaseUrl: undefined,
    port: 4000,
    dashboardPort: 3000,
    backend: "auto",
    anthropicApiKey: undefined,
  });
});

test("values are read and typed", () => {
  const config = loadConfig(
    {
      INTERLACE_HOME: "data",
      DATABASE_URL: "postgres://u@db:5432/x",
      PORT: "8080",
      DASHBOARD_PORT: "8081",
      INTERLACE_BACKEND: "wasm",
      ANTHROPIC_API_KEY: "k",
    },
    "/srv/app",
  );
  assert.equal(config.home, "/srv/app/data");
  assert.equal(config.databaseUrl, "postgres://u@db:5432/x");
  assert.equal(config.port, 8080);
  assert.equal(config.dashboardPort, 8081);
  assert.equal(config.backend, "wasm");
  assert.equal(config.anthropicApiKey, "k");
});

test("empty variables count as unset", () => {
  const config = loadConfig({ DATABASE_URL: "", PORT: "", INTERLACE_BACKEND: "" }, "/srv");
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.port, 4000);
  assert.equal(config.backend, "auto");
});

test("a bad variable fails with a message naming it", () => {
  assert.throws(
    () => loadConfig({ PORT: "abc" }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT/);
      assert.match(error.message, /"abc"/);
      return true;
    },
  );
  assert.throws(
    () => loadConfig({ INTERLACE_BACKEND: "cpu" }),
    /INTERLACE_BACKEND must be one of tensorflow, wasm, auto/,
  );
  assert.throws(() => loadConfig({ DATABASE_URL: "mysql://x" }), /DATABASE_URL must be a postgres:\/\//);
  assert.throws(() => loadConfig({ DASHBOARD_PORT: "70000" }), /DASHBOARD_PORT must be between 0 and 65535/);
});
