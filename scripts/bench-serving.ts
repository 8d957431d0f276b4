// The serving process under load while a study trains in its worker process: feature-page query latency (p50/p99)
// and throughput under 50 concurrent loopback clients for 30 s on a study of 2,048 features, and /healthz latency
// sampled meanwhile. Starts `interlace serve` (with its worker process) on a fresh embedded database.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturePath } from "@interlace/compute/testing";
import { FeatureDocument } from "@interlace/schema";
import { issueToken, migrate, openDatabase, saveStudy } from "@interlace/server";
import { sampleStudy } from "@interlace/server/testing";
import { print } from "graphql";

const CLIENTS = 50;
const SECONDS = 30;
const FEATURES = 2048;
/** `npm run bench -- serving --database-url=postgres://…` measures on a real Postgres (a database it may fill). */
const databaseUrl = process.argv.find((arg) => arg.startsWith("--database-url="))?.slice("--database-url=".length);
const bin = join(import.meta.dirname, "..", "apps", "cli", "bin", "interlace.mjs");

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function benchServing(): Promise<Record<string, unknown>> {
  const home = mkdtempSync(join(tmpdir(), "interlace-bench-serving-"));
  let serve: ChildProcess | undefined;
  try {
    const db = await openDatabase({ home, databaseUrl });
    await migrate(db.sql);
    const studyId = await saveStudy(db.sql, sampleStudy({ name: "bench", features: FEATURES }));
    const { token } = await issueToken(db.sql, { name: "bench", role: "analyst" });
    await db.close();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    serve = spawn(process.execPath, [bin, "serve"], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl ?? "",
        INTERLACE_HOME: home,
        PORT: String(port),
        INTERLACE_BACKEND: "wasm",
        INTERLACE_MODEL_ROOTS: join(fixturePath(), "models"),
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, 120_000, "/healthz 200");
    const requested = await post(
      url,
      {
        query: "mutation($input: StudyRunInput!) { requestStudyRun(input: $input) { id } }",
        variables: { input: { name: "training meanwhile", model: "sotu-gpt2-6l", layer: 3, tokens: 20000 } },
      },
      token,
    );
    const runId = (requested.json as { data: { requestStudyRun: { id: string } } }).data.requestStudyRun.id;
    const runState = async () =>
      (
        (
          await post(url, {
            query: "query($id: ID!) { run(id: $id) { status progress stage } }",
            variables: { id: runId },
          })
        ).json as { data: { run: { status: string; progress: number; stage: string | null } } }
      ).data.run;
    await until(async () => (await runState()).progress > 0.01, 300_000, "the study run computing");
    const atStart = await runState();

    const query = print(FeatureDocument);
    const latencies: number[] = [];
    let failures = 0;
    const end = Date.now() + SECONDS * 1000;
    const health: number[] = [];
    const healthLoop = (async () => {
      while (Date.now() < end) {
        const t = performance.now();
        const ok = (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
        health.push(ok ? performance.now() - t : Number.POSITIVE_INFINITY);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < end) {
          const index = ((next++ * 7919) % FEATURES) * 2;
          const t = performance.now();
          try {
            const answer = await post(url, {
              query,
              variables: { studyId, index, examples: 20, partners: 10 },
            });
            const body = answer.json as { errors?: unknown; data?: { feature: unknown } };
            if (answer.status !== 200 || body.errors || !body.data?.feature) failures += 1;
            else latencies.push(performance.now() - t);
          } catch {
            failures += 1;
          }
        }
      }),
    );
    await healthLoop;
    const atEnd = await runState();
    latencies.sort((a, b) => a - b);
    health.sort((a, b) => a - b);
    await post(url, { query: "mutation($id: ID!) { cancelRun(id: $id) { id } }", variables: { id: runId } }, token);
    return {
      database: databaseUrl ? "postgres" : "embedded PGlite",
      clients: CLIENTS,
      seconds: SECONDS,
      features: FEATURES,
      requests: latencies.length,
      failures,
      requestsPerSecond: Number((latencies.length / SECONDS).toFixed(1)),
      p50Ms: Number(percentile(latencies, 50).toFixed(1)),
      p99Ms: Number(percentile(latencies, 99).toFixed(1)),
      maxMs: Number((latencies.at(-1) ?? Number.NaN).toFixed(1)),
      healthzMaxMs: Number((health.at(-1) ?? Number.NaN).toFixed(1)),
      healthzSamples: health.length,
      trainingDuringLoad: { from: atStart, to: atEnd },
    };
  } finally {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve?.once("exit", resolve));
      serve.kill("SIGTERM");
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  }
}
