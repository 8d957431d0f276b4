import { listStudies, RUN_KINDS, RunService, startServer } from "@interlace/server";
import { stalePolicy, startStaleRunSweeper } from "@interlace/server/worker";
import type { Command } from "../command.js";
import { buildDashboard, dashboardIsBuilt, startDashboard, waitForHttp } from "../dashboard-process.js";
import { localDashboardToken } from "../dashboard-token.js";
import { describeDatabase, openMigratedDatabase, untilSignal } from "../database.js";
import { startWorkerProcess, type WorkerProcess } from "../worker-process.js";

export const startCommand: Command = {
  path: ["start"],
  summary:
    "Migrate the database, start the GraphQL server, the dashboard and a worker process; Ctrl-C stops all of it.",
  usage: `Flags:
  --rebuild   build the dashboard again before starting it (it is built once, on the first start)
  --no-demo   with no study yet, do not queue the offline demo model and its demo study
`,
  options: { rebuild: { type: "boolean" }, "no-demo": { type: "boolean" } },
  usesEngine: false,
  async run(values, _positionals, config) {
    const started = Date.now();
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
    const log = (m: string) => console.error(`server: ${m}`);
    const sweeper = startStaleRunSweeper(db.sql, stalePolicy({}), { intervalMs: 10_000, log });
    const graphqlUrl = server.url;
    const dashboardUrl = `http://127.0.0.1:${config.dashboardPort}`;
    const stopping = new AbortController();
    let dashboard: ReturnType<typeof startDashboard> | undefined;
    let worker: WorkerProcess | undefined;
    const stopAll = async () => {
      stopping.abort();
      if (dashboard && dashboard.exitCode === null) dashboard.kill("SIGTERM");
      await worker?.stop();
      sweeper.stop();
      await server.close();
      await db.close();
    };
    const signalled = untilSignal();
    const ready = (async () => {
      if (values["rebuild"] === true || !dashboardIsBuilt()) {
        console.error(`GraphQL answers at ${graphqlUrl}; building the dashboard (once; about a minute)…`);
        await buildDashboard(stopping.signal);
      }
      dashboard = startDashboard(config.dashboardPort, graphqlUrl);
      await waitForHttp(dashboardUrl, dashboard);
    })();
    ready.catch(() => undefined);
    const first = await Promise.race([ready.then(() => "ready" as const), signalled]).catch(async (error) => {
      await stopAll();
      throw error;
    });
    if (first !== "ready") {
      console.error(`stopping (${first})…`);
      await stopAll();
      return;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Interlace is up in ${seconds} s (${describeDatabase(config, db)})`);
    console.log(`  dashboard  ${dashboardUrl}`);
    console.log(`  GraphQL    ${graphqlUrl}`);
    console.log(
      `  sign in    with the local admin token ${signIn.created ? "just created and " : ""}kept in ${signIn.path} (paste it into the dashboard's sign-in field)`,
    );
    console.log("Press Ctrl-C to stop.");
    const runs = new RunService(db.sql, config);
    const fresh = (await listStudies(db.sql, { limit: 1 })).length === 0 && (await runs.list(1)).length === 0;
    if (fresh && values["no-demo"] !== true) {
      await runs.requestDemoModelRun();
      console.log(
        `No study yet: queued the offline demo model (${RUN_KINDS.demoModel}, a few minutes) and then its demo study; the dashboard shows their progress under Runs.`,
      );
    } else if (fresh) {
      console.log(
        "No study yet: run one with `npm run interlace -- study run --model <hf-model-dir> --layer 3 --preset tiny`, or request one in the dashboard.",
      );
    }
    worker = startWorkerProcess({ log });
    const exited = new Promise<string>((resolve) =>
      dashboard?.once("exit", (code) => resolve(`dashboard exited (${code})`)),
    );
    const reason = await Promise.race([signalled, exited]);
    console.error(`stopping (${reason})…`);
    await stopAll();
  },
};
