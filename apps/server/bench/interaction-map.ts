// The interactionMap query's latency on a stored 2,048-feature study (embedded PGlite by default, DATABASE_URL for a
// Postgres): whole GraphQL execution, resolver and SQL included, after one warm-up run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { graphql } from "graphql";
import { migrate } from "../src/db/migrate.js";
import { openDatabase } from "../src/db/open-database.js";
import { saveStudy } from "../src/features/study/study.repository.js";
import { buildGraphQLSchema } from "../src/graphql/schema.js";
import { sampleStudy } from "../src/testing/sample-study.js";
import { testContext } from "../src/testing/test-server.js";

const FEATURES = 2048;
const RUNS = 15;

export async function benchInteractionMap(): Promise<Record<string, unknown>> {
  const home = mkdtempSync(join(tmpdir(), "interlace-map-bench-"));
  const db = await openDatabase({ home, databaseUrl: process.env.DATABASE_URL || undefined });
  try {
    await migrate(db.sql);
    const id = await saveStudy(db.sql, sampleStudy({ name: "map bench", features: FEATURES, inspection: true }));
    const schema = await buildGraphQLSchema();
    const source = `query M($id: ID!, $n: Int!) { study(id: $id) {
      interactionMap(features: $n) { features { index density } strengths } } }`;
    const figures: Record<string, number> = {};
    for (const n of [40, 200]) {
      const run = async () => {
        const started = performance.now();
        const result = await graphql({
          schema,
          source,
          variableValues: { id, n },
          contextValue: testContext(db.sql, "bench", "reads need no token"),
        });
        if (result.errors) throw new Error(result.errors.map((e) => e.message).join("; "));
        return performance.now() - started;
      };
      await run();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await run());
      times.sort((x, y) => x - y);
      figures[`median_ms_n${n}`] = Number(times[Math.floor(RUNS / 2)]!.toFixed(2));
      figures[`max_ms_n${n}`] = Number(times[RUNS - 1]!.toFixed(2));
    }
    return { database: db.kind, study_features: FEATURES, runs: RUNS, ...figures };
  } finally {
    await db.close();
    rmSync(home, { recursive: true, force: true });
  }
}
