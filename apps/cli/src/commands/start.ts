import { listStudies, loadConfig, startServer } from "@interlace/server";
import { studyExecutor } from "@interlace/server/studies/index";
import { startWorker } from "@interlace/server/worker/index";
import type { Command } from "../command.js";
import { buildDashboard, dashboardIsBuilt, startDashboard, waitForHttp } from "../dashboard-process.js";
import { describeDatabase, openMigratedDatabase, untilSignal } from "../database.js";

export const startCommand: Command = {
  path: ["start"],
  summary: "Migrate the database, start the GraphQL server with a worker and the dashboard; Ctrl-C stops all of it.",
  usage: `Flags:
  --rebuild   build the dashboard again before starting it (it is built once, on the first start)
`,
  options: { rebuild: { type: "boolean" } },
  async run(values) {
    const started = Date.now();
    const config = loadConfig();
    if (values["rebuild"] === true || !dashboardIsBuilt()) {
      console.error("building the dashboard (once; takes about a minute)…");
      buildDashboard();
    }
    const { db } = await openMigratedDatabase(config);
    const server = await startServer({ config, sql: db.sql });
    const worker = startWorker({
      sql: db.sql,
      executor: studyExecutor(db.sql, config.home),
      log: (m) => console.error(`worker: ${m}`),
    });
    const graphqlUrl = `http://127.0.0.1:${server.port}/graphql`;
    const dashboard = startDashboard(config.dashboardPort, graphqlUrl);
    const dashboardUrl = `http://127.0.0.1:${config.dashboardPort}`;
    const stopAll = async () => {
      if (dashboard.exitCode === null) dashboard.kill("SIGTERM");
      await worker.stop();
      await server.close();
      await db.close();
    };
    try {
      await waitForHttp(dashboardUrl, dashboard);
    } catch (error) {
      await stopAll();
      throw error;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Interlace is up in ${seconds} s (${describeDatabase(config, db)})`);
    console.log(`  dashboard  ${dashboardUrl}`);
    console.log(`  GraphQL    ${graphqlUrl}`);
    if ((await listStudies(db.sql)).length === 0) {
      console.log(
        "No study yet: run one with `npm run interlace -- study run --model <hf-model-dir> --layer 3 --preset tiny`, or request one in the dashboard.",
      );
    }
    console.log("Press Ctrl-C to stop.");
    const exited = new Promise<string>((resolve) =>
      dashboard.once("exit", (code) => resolve(`dashboard exited (${code})`)),
    );
    const reason = await Promise.race([untilSignal(), exited]);
    console.error(`stopping (${reason})…`);
    await stopAll();
  },
};
