import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const interlaceBin = fileURLToPath(new URL("../bin/interlace.mjs", import.meta.url));

export interface WorkerProcess {
  /** The running child, if any. */
  current(): ChildProcess | undefined;
  /** Stops the worker (SIGTERM: it re-queues a run in progress) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Runs `interlace worker` as a child process, so no run computes on the serving process's event loop. A worker that
 * exits on its own (a crash) is started again after `restartMs`; its run is re-queued by the stale-run sweeper.
 */
export function startWorkerProcess(options: { restartMs?: number; log: (line: string) => void }): WorkerProcess {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restart: NodeJS.Timeout | undefined;
  const launch = () => {
    const started = spawn(process.execPath, [interlaceBin, "worker"], {
      env: process.env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child = started;
    started.once("exit", (code, signal) => {
      if (child === started) child = undefined;
      if (stopping) return;
      options.log(`the worker process exited (${signal ?? code}); starting another`);
      restart = setTimeout(launch, options.restartMs ?? 5000);
    });
  };
  launch();
  return {
    current: () => child,
    stop: async () => {
      stopping = true;
      clearTimeout(restart);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
      running.kill("SIGTERM");
      const force = setTimeout(() => running.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(force);
    },
  };
}
