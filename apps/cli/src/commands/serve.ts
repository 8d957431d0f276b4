import { startServer } from "@interlace/server";
import { runExecutor } from "@interlace/server/studies";
import { startWorker } from "@interlace/server/worker";
import type { Command } from "../command.js";
import { describeDatabase, openMigratedDatabase, untilSignal } from "../database.js";

export const serveCommand: Command = {
  path: ["serve"],
  summary: "Start the GraphQL server on $PORT (migrating first) with an in-process worker for requested runs.",
  usage: `Flags:
  --no-worker   serve only; run workers elsewhere with \`interlace worker\`
`,
  options: { "no-worker": { type: "boolean" } },
  async run(values, _positionals, config) {
    const { db } = await openMigratedDatabase(config);
    const server = await startServer({ config, sql: db.sql }).catch(async (error: Error) => {
      await db.close();
      throw new Error(
        `the GraphQL server could not listen on port ${config.port} (${error.message}): set PORT to a free port.`,
      );
    });
    const worker =
      values["no-worker"] === true
        ? null
        : startWorker({
            sql: db.sql,
            executor: runExecutor(db.sql, config),
            log: (m) => console.error(`worker: ${m}`),
          });
    console.log(`Interlace GraphQL: ${server.url} (${describeDatabase(config, db)})${worker ? ", with a worker" : ""}`);
    await untilSignal();
    await worker?.stop();
    await server.close();
    await db.close();
  },
};
