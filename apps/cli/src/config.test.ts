import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "@interlace/server";
import { loadCliConfig } from "./config.js";

test("the CLI reads the server's variables and INTERLACE_DEBUG", () => {
  const env = { INTERLACE_HOME: "h", INTERLACE_BACKEND: "wasm", HF_TOKEN: "t", PORT: "4100" };
  assert.deepEqual(loadCliConfig(env, "/srv"), { ...loadConfig(env, "/srv"), debug: false });
  for (const on of ["1", "true"]) assert.equal(loadCliConfig({ INTERLACE_DEBUG: on }).debug, true, on);
  for (const off of ["0", "false", ""]) assert.equal(loadCliConfig({ INTERLACE_DEBUG: off }).debug, false, off);
});

test("a bad INTERLACE_DEBUG is named with the server's bad variables", () => {
  assert.throws(
    () => loadCliConfig({ INTERLACE_DEBUG: "yes", INTERLACE_BACKEND: "cpu" }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(
        error.message,
        /INTERLACE_DEBUG must be 1 or true to turn it on, or 0, false or unset .* \(got "yes"\)/,
      );
      assert.match(error.message, /INTERLACE_BACKEND must be one of auto, onnxruntime, tensorflow, wasm/);
      return true;
    },
  );
});
