import { listStudies, RunService, startServer } from "@interlace/server";
import { runExecutor } from "@interlace/server/studies";
import { startWorker } from "@interlace/server/worker";
import type { Command } from "../command.js";
import { buildDashboard, dashboardIsBuilt, startDashboard, waitForHttp } from "../dashboard-process.js";
import { localDashboardToken } from "../dashboard-token.js";
import { describeDatabase, openMigratedDatabase, untilSignal } from "../database.js";
import { buildDemo } from "../demo.js";

export const startCommand: Command = {
  path: ["start"],
  summary: "Migrate the database, start the GraphQL server with a worker and the dashboard; Ctrl-C stops all of it.",
  usage: `Flags:
  --rebuild   build the dashboard again before starting it (it is built once, on the first start)
  --no-demo   with no study yet, do not build the offline demo model and its demo study
`,
  options: { rebuild: { type: "boolean" }, "no-demo": { type: "boolean" } },
  async run(values, _positionals, config) {
    const started = Date.now();
    if (values["rebuild"] === true || !dashboardIsBuilt()) {
      console.error("building the dashboard (once; takes about a minute)…");
      buildDashboard();
    }
    const { db } = await openMigratedDatabase(config);
    const signIn = await localDashboardToken(db.sql, config.home).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
    const server = await startServer({ config, sql: db.sql }).catch(async (error: Error) => {
      await db.close();
      throw new Error(
        `the GraphQL server could not listen on port ${config.port} (${error.message}): set PORT to a free port.`,
      );
    });
    const worker = startWorker({
      sql: db.sql,
      executor: runExecutor(db.sql, config),
      log: (m) => console.error(`worker: ${m}`),
    });
    const graphqlUrl = server.url;
    const dashboard = startDashboard(config.dashboardPort, graphqlUrl);
    const dashboardUrl = `http://127.0.0.1:${config.dashboardPort}`;
    const demo = new AbortController();
    const stopAll = async () => {
      demo.abort(new Error("stopping"));
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
    console.log(
      `  sign in    with the local admin token ${signIn.created ? "just created and " : ""}kept in ${signIn.path} (paste it into the dashboard's sign-in field)`,
    );
    console.log("Press Ctrl-C to stop.");
    const fresh =
      (await listStudies(db.sql, { limit: 1 })).length === 0 &&
      (await new RunService(db.sql, config).list(1)).length === 0;
    if (fresh && values["no-demo"] !== true) {
      buildDemo(db.sql, config, demo.signal).catch((error: Error) => {
        if (!demo.signal.aborted) console.error(`demo: ${error.message}`);
      });
    } else if (fresh) {
      console.log(
        "No study yet: run one with `npm run interlace -- study run --model <hf-model-dir> --layer 3 --preset tiny`, or request one in the dashboard.",
      );
    }
    const exited = new Promise<string>((resolve) =>
      dashboard.once("exit", (code) => resolve(`dashboard exited (${code})`)),
    );
    const reason = await Promise.race([untilSignal(), exited]);
    console.error(`stopping (${reason})…`);
    await stopAll();
  },
};
