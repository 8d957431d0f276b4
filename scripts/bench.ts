// `npm run bench -- <lm|sae|nfm|harvest|features|steering|study-memory|map|serving> [--json]`: runs one benchmark and appends its figures to BENCHMARKS.md.
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

type Bench = (opts: { json: boolean }) => Promise<Record<string, unknown>>;

const loaders: Record<string, () => Promise<Bench>> = {
  lm: async () => (await import("../packages/compute/bench/lm.js")).benchLm,
  sae: async () => (await import("../packages/compute/bench/sae.js")).benchSae,
  nfm: async () => (await import("../packages/compute/bench/nfm.js")).benchNfm,
  harvest: async () => (await import("../packages/compute/bench/harvest.js")).benchHarvest,
  features: async () => (await import("../packages/compute/bench/feature-data.js")).benchFeatureData,
  steering: async () => (await import("../packages/compute/bench/steering.js")).benchSteering,
  "study-memory": async () => (await import("../packages/compute/bench/study-memory.js")).benchStudyMemory,
  map: async () => (await import("../apps/server/bench/interaction-map.js")).benchInteractionMap,
  serving: async () => (await import("./bench-serving.js")).benchServing,
};

const [name, ...rest] = process.argv.slice(2);
const json = rest.includes("--json");
const load = name ? loaders[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(loaders).join("|")}> [--json]`);
  process.exit(2);
}

const result = await (await load())({ json });
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const file = join(import.meta.dirname, "..", "BENCHMARKS.md");
if (!existsSync(file)) writeFileSync(file, "# Benchmarks\n\nAppended by `npm run bench -- <name>`; newest last.\n");
appendFileSync(
  file,
  `\n## ${name} — ${new Date().toISOString().slice(0, 10)}\n\nMachine: ${machine}\n\n\`\`\`json\n${JSON.stringify(result, null, 2)}\n\`\`\`\n`,
);
if (json) console.log(JSON.stringify(result));
else console.log(result);
