import { Worker } from "node:worker_threads";
import { workerEntry } from "@interlace/compute/workers";
import type { Sql } from "../db/sql.js";
import { heartbeatRun } from "../features/run/run.repository.js";

/** Slots of the heartbeat's shared flags (Int32Array): set to 1 by the heartbeat, read by the run. */
export const HEARTBEAT_FLAG = { cancelRequested: 0, lost: 1 } as const;

export type HeartbeatMessage = { kind: "cancel-requested" } | { kind: "lost" } | { kind: "error"; message: string };

/** Records a heartbeat's answer in the shared flags and tells `tell` what changed (undefined: the run was lost). */
export function noteHeartbeat(
  flags: Int32Array,
  answer: { cancelRequested: boolean } | undefined,
  tell: (message: HeartbeatMessage) => void,
): void {
  if (!answer) {
    if (Atomics.exchange(flags, HEARTBEAT_FLAG.lost, 1) === 0) tell({ kind: "lost" });
  } else if (answer.cancelRequested && Atomics.exchange(flags, HEARTBEAT_FLAG.cancelRequested, 1) === 0) {
    tell({ kind: "cancel-requested" });
  }
}

export interface HeartbeatThreadData {
  url: string;
  runId: string;
  workerId: string;
  intervalMs: number;
  flags: SharedArrayBuffer;
}

export interface HeartbeatOptions {
  runId: string;
  workerId: string;
  intervalMs: number;
  /** Where the heartbeat thread connects; without it the heartbeat is a timer on this thread using `sql`. */
  url: string | undefined;
  sql: Sql;
  /** Told when the run was cancelled, lost, or a heartbeat failed. */
  onMessage(message: HeartbeatMessage): void;
}

export interface Heartbeat {
  cancelRequested(): boolean;
  lost(): boolean;
  /** Records an answer the run itself got (a progress report) like one of the heartbeat's. */
  note(answer: { cancelRequested: boolean } | undefined): void;
  stop(): Promise<void>;
}

/** Starts the heartbeat of one run: on its own thread when `url` is given, else on a timer of this thread. */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const heartbeat = {
    cancelRequested: () => Atomics.load(flags, HEARTBEAT_FLAG.cancelRequested) === 1,
    lost: () => Atomics.load(flags, HEARTBEAT_FLAG.lost) === 1,
    note: (answer: { cancelRequested: boolean } | undefined) => noteHeartbeat(flags, answer, options.onMessage),
  };
  if (options.url !== undefined) {
    const data: HeartbeatThreadData = {
      url: options.url,
      runId: options.runId,
      workerId: options.workerId,
      intervalMs: options.intervalMs,
      flags: flags.buffer as SharedArrayBuffer,
    };
    const thread = new Worker(workerEntry(import.meta.url, "heartbeat-thread"), { workerData: data });
    // Listened to from the start: a thread that already ended (it failed) must not leave stop() waiting.
    const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
    thread.on("message", options.onMessage);
    thread.on("error", (error) => options.onMessage({ kind: "error", message: error.message }));
    thread.unref();
    return {
      ...heartbeat,
      stop: async () => {
        thread.postMessage("stop");
        const timer = setTimeout(() => void thread.terminate(), 2000);
        await exited;
        clearTimeout(timer);
      },
    };
  }
  const timer = setInterval(() => {
    heartbeatRun(options.sql, options.runId, options.workerId).then(
      (answer) => noteHeartbeat(flags, answer, options.onMessage),
      (error: unknown) => options.onMessage({ kind: "error", message: (error as Error).message }),
    );
  }, options.intervalMs);
  return {
    ...heartbeat,
    stop: async () => clearInterval(timer),
  };
}
