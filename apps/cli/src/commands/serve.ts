import { startServer } from "@interlace/server";
import { stalePolicy, startStaleRunSweeper } from "@interlace/server/worker";
import type { Command } from "../command.js";
import { describeDatabase, openMigratedDatabase, untilSignal } from "../database.js";
import { startWorkerProcess } from "../worker-process.js";

export const serveCommand: Command = {
  path: ["serve"],
  summary: "Start the GraphQL server on $PORT (migrating first) with a worker process for requested runs.",
  usage: `Flags:
  --no-worker   serve only; run workers elsewhere with \`interlace worker\`
`,
  options: { "no-worker": { type: "boolean" } },
  usesEngine: false,
  async run(values, _positionals, config) {
    const { db } = await openMigratedDatabase(config);
    const server = await startServer({ config, sql: db.sql }).catch(async (error: Error) => {
      await db.close();
      throw new Error(
        `the GraphQL server could not listen on port ${config.port} (${error.message}): set PORT to a free port.`,
      );
    });
    const log = (m: string) => console.error(`server: ${m}`);
    const sweeper = startStaleRunSweeper(db.sql, stalePolicy({}), { intervalMs: 10_000, log });
    const worker = values["no-worker"] === true ? null : startWorkerProcess({ log });
    console.log(`Interlace GraphQL: ${server.url} (${describeDatabase(config, db)})${worker ? ", with a worker" : ""}`);
    await untilSignal();
    await worker?.stop();
    sweeper.stop();
    await server.close();
    await db.close();
  },
};
