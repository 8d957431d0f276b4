import { runExecutor } from "@interlace/server/studies";
import { startWorker } from "@interlace/server/worker";
import type { Command } from "../command.js";
import { describeDatabase, openMigratedDatabase, untilSignal } from "../database.js";

export const workerCommand: Command = {
  path: ["worker"],
  summary: "Run requested study runs from the database queue; start many on many machines against one DATABASE_URL.",
  usage: "Flags: none. Stops cleanly on Ctrl-C; an interrupted run is queued again.\n",
  options: {},
  async run(_values, _positionals, config) {
    const { db } = await openMigratedDatabase(config);
    const worker = startWorker({
      sql: db.sql,
      executor: runExecutor(db.sql, config),
      heartbeatUrl: db.url,
      log: (m) => console.error(`worker: ${m}`),
    });
    console.log(`worker ${worker.workerId} waiting for runs (${describeDatabase(config, db)})`);
    await untilSignal();
    await worker.stop();
    await db.close();
  },
};
