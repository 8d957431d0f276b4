import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readSafetensors, writeSafetensors } from "../io/safetensors.js";
import { fixturesDir as fixtures } from "../testing/fixtures.js";
import { hubCacheDir, isHubId, resolveModel } from "./hub.js";
import { loadModel } from "./load-model.js";

const source = join(fixtures, "models", "tiny-llama-random");
const work = mkdtempSync(join(tmpdir(), "hub-test-"));

/** The stub hub's files per repository id. */
const repos = new Map<string, Map<string, Buffer>>();
const requests: string[] = [];
let server: Server;
let endpoint: string;
/** A repository the stub hub serves only with the bearer token TOKEN. */
const GATED = "stub-org/gated";
const TOKEN = "hf_stub_token";
/** A repository whose files start and then never send another byte. */
const STALLED = "stub-org/stalled";

function addRepo(id: string, files: Record<string, Buffer>): void {
  repos.set(id, new Map(Object.entries(files)));
}

before(async () => {
  const base = Object.fromEntries(
    ["config.json", "tokenizer.json", "tokenizer_config.json"].map((f) => [f, readFileSync(join(source, f))]),
  );
  addRepo("stub-org/tiny", { ...base, "model.safetensors": readFileSync(join(source, "model.safetensors")) });
  addRepo(GATED, { ...base, "model.safetensors": readFileSync(join(source, "model.safetensors")) });
  const { tensors } = readSafetensors(join(source, "model.safetensors"));
  const names = Object.keys(tensors);
  const shardDir = join(work, "shards");
  mkdirSync(shardDir);
  const shardFiles: Record<string, Buffer> = {};
  const weightMap: Record<string, string> = {};
  [names.slice(0, 5), names.slice(5)].forEach((group, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    writeSafetensors(join(shardDir, file), Object.fromEntries(group.map((n) => [n, tensors[n]!])));
    shardFiles[file] = readFileSync(join(shardDir, file));
    for (const n of group) weightMap[n] = file;
  });
  addRepo("stub-org/tiny-sharded", {
    ...base,
    ...shardFiles,
    "model.safetensors.index.json": Buffer.from(JSON.stringify({ weight_map: weightMap })),
  });
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(req.url ?? "");
    if (match?.[1] === STALLED) {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
      return;
    }
    if (match?.[1] === GATED && req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end("unauthorized");
      return;
    }
    const body = match ? repos.get(match[1]!)?.get(match[2]!) : undefined;
    if (!body) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

test("hub ids are told apart from paths", () => {
  assert.ok(isHubId("openai-community/gpt2"));
  assert.ok(!isHubId("./models/x"));
  assert.ok(!isHubId("/abs/path"));
  assert.ok(!isHubId("a/b/c"));
  assert.equal(hubCacheDir("org/name", "/h"), join("/h", "models", "org--name"));
});

test("a local directory resolves to itself without a request", async () => {
  const before = requests.length;
  assert.equal(await resolveModel(source, join(work, "home0"), { endpoint, token: undefined }), source);
  assert.equal(requests.length, before);
});

test("a hub id downloads once into the cache and loads", async () => {
  const home = join(work, "home1");
  const dir = await resolveModel("stub-org/tiny", home, { endpoint, token: undefined });
  assert.equal(dir, hubCacheDir("stub-org/tiny", home));
  assert.deepEqual(readdirSync(join(home, "models")), ["stub-org--tiny"], "no partial folder is left");
  const model = await loadModel(dir, { backend: "auto" });
  assert.equal(model.info.modelType, "llama");
  model.dispose();
  const count = requests.length;
  assert.equal(await resolveModel("stub-org/tiny", home, { endpoint, token: undefined }), dir);
  assert.equal(requests.length, count, "the second resolve uses the cache");
});

test("a sharded repository downloads the index and every shard", async () => {
  const home = join(work, "home2");
  const dir = await resolveModel("stub-org/tiny-sharded", home, { endpoint, token: undefined });
  assert.deepEqual(
    readdirSync(dir)
      .filter((f) => f.startsWith("model"))
      .sort(),
    ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"],
  );
  const model = await loadModel(dir, { backend: "auto" });
  model.dispose();
});

test("a gated repository needs the token passed in the options, sent as a bearer token", async () => {
  const home = join(work, "home3");
  await assert.rejects(
    resolveModel(GATED, home, { endpoint, token: undefined }),
    /answered 401 \(gated or private: set HF_TOKEN\)/,
  );
  assert.deepEqual(readdirSync(join(home, "models")), [], "nothing is left behind");
  const dir = await resolveModel(GATED, home, { endpoint: `${endpoint}/`, token: TOKEN });
  assert.equal(dir, hubCacheDir(GATED, home));
  assert.ok(readdirSync(dir).includes("model.safetensors"));
});

test("an unknown id says so and leaves nothing behind", async () => {
  const home = join(work, "home4");
  await assert.rejects(
    resolveModel("stub-org/missing", home, { endpoint, token: undefined }),
    /stub-org\/missing has no config\.json/,
  );
  assert.deepEqual(readdirSync(join(home, "models")), []);
});

test("without network the error says which files to place where", async () => {
  const home = join(work, "home5");
  const offline = "http://127.0.0.1:9";
  await assert.rejects(
    resolveModel("some-org/model", home, { endpoint: offline, token: undefined }),
    (e: unknown) =>
      e instanceof Error &&
      e.message.includes("Could not download some-org/model from http://127.0.0.1:9") &&
      e.message.includes("config.json, tokenizer.json, tokenizer_config.json and model.safetensors") &&
      e.message.includes(join(home, "models", "some-org--model")),
  );
});

test("a placed model is used without network", async () => {
  const home = join(work, "home6");
  const dir = hubCacheDir("placed/model", home);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), readFileSync(join(source, "config.json")));
  assert.equal(await resolveModel("placed/model", home, { endpoint: "http://127.0.0.1:9", token: undefined }), dir);
});

test("something that is neither a path nor an id is named", async () => {
  await assert.rejects(
    resolveModel("not a model", work, { endpoint, token: undefined }),
    /neither an existing directory nor a Hugging Face id/,
  );
});

test("a download larger than the cap fails and leaves nothing behind", async () => {
  const home = join(work, "home-cap");
  await assert.rejects(
    resolveModel("stub-org/tiny", home, { endpoint, token: undefined, maxBytes: 1000 }),
    /larger than the download cap of 1000 bytes/,
  );
  assert.deepEqual(readdirSync(join(home, "models")), []);
});

test("a download that stalls fails after the idle timeout; an aborted one stops at once", async () => {
  const home = join(work, "home-stalled");
  await assert.rejects(
    resolveModel(STALLED, home, { endpoint, token: undefined, idleTimeoutMs: 300 }),
    /received nothing for 0\.3 s/,
  );
  assert.deepEqual(readdirSync(join(home, "models")), []);
  const abort = new AbortController();
  const started = Date.now();
  const download = resolveModel(STALLED, home, { endpoint, token: undefined, signal: abort.signal });
  setTimeout(() => abort.abort(new Error("cancelled by the test")), 200);
  await assert.rejects(download, /cancelled by the test/);
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual(readdirSync(join(home, "models")), []);
});
