/**
 * Reads finished studies on new text off the caller's thread: one worker thread keeps the most recently used
 * studies' model, SAE and NFM loaded (a bounded LRU) and runs steering and text analysis there, so a server's event
 * loop stays free. Each request has a time limit; a request past it is refused and the worker restarted.
 */
import type { Worker } from "node:worker_threads";
import type { BackendPreference } from "../backend-preference.js";
import { startWorkers, workerEntry } from "../workers/start-workers.js";
import type { AnalyzeOptions, TokenAnalysis } from "./analyze.js";
import { type SteerFeature, SteerInputError } from "./features.js";
import { type SteerOptions, type SteerResult, SteerTimeoutError } from "./steer.js";

export interface StudyReaderData {
  cacheSize: number;
}

interface StudyRef {
  /** The study's folder. */
  workDir: string;
  /** The local directory of its model. */
  modelDir: string;
}

/** A job for the worker: which study, and what to do with it. */
export type ReaderJob = StudyRef &
  (
    | {
        kind: "steer";
        prompt: string;
        features: SteerFeature[];
        maxNewTokens: number;
        seed: number | null;
        deadline: number;
        names?: SteerOptions["names"];
      }
    | { kind: "analyze"; text: string; options: AnalyzeOptions }
  );

export type ReaderRequest = ReaderJob & { id: number };

export type ReaderReply =
  | { id: number; result: SteerResult | TokenAnalysis[]; hook: string; cold: boolean; loadMs: number; totalMs: number }
  | { id: number; error: { name: string; message: string; argument: string | null } };

/** A result with how it was obtained: cold (the study was loaded for it) and the milliseconds spent. */
export interface Timed<T> {
  result: T;
  /** The study's hook. */
  hook: string;
  cold: boolean;
  loadMs: number;
  totalMs: number;
}

export interface StudyReaderOptions {
  backend: BackendPreference;
  /** Studies kept loaded at once (≥ 1). */
  cacheSize: number;
  /** Milliseconds a request may take, loading included (default 60 000). */
  timeoutMs?: number;
}

interface Pending {
  resolve: (reply: ReaderReply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class StudyReader {
  private worker: Promise<Worker> | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(readonly options: StudyReaderOptions) {}

  private start(): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error("the study reader was closed."));
    this.worker ??= startWorkers<StudyReaderData>(
      workerEntry(import.meta.url, "study-reader-worker"),
      { count: 1, backend: this.options.backend },
      { cacheSize: this.options.cacheSize },
      (reason) => new Error(`the study reader could not start: ${reason}`),
    ).then(({ workers: [worker] }) => {
      worker!.on("message", (reply: ReaderReply) => this.settle(reply.id, (p) => p.resolve(reply)));
      worker!.on("error", (error) => this.failAll(error));
      worker!.on("exit", () => {
        this.worker = null;
        this.failAll(new Error("the study reader stopped; try again."));
      });
      return worker!;
    });
    this.worker.catch(() => {
      this.worker = null;
    });
    return this.worker;
  }

  private settle(id: number, how: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    how(pending);
  }

  private failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(error));
  }

  private async ask<T>(request: ReaderJob): Promise<Timed<T>> {
    const worker = await this.start();
    const id = this.nextId++;
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const reply = await new Promise<ReaderReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id, (p) =>
          p.reject(
            new SteerTimeoutError(`the request took longer than its ${timeoutMs / 1000} s limit; ask for less.`),
          ),
        );
        void worker.terminate();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ ...request, id });
    });
    if ("error" in reply) {
      const { name, message, argument } = reply.error;
      if (name === "SteerInputError" && argument !== null) {
        throw new SteerInputError(argument, message.slice(argument.length + 2));
      }
      if (name === "SteerTimeoutError") throw new SteerTimeoutError(message);
      throw new Error(message);
    }
    return {
      result: reply.result as T,
      hook: reply.hook,
      cold: reply.cold,
      loadMs: reply.loadMs,
      totalMs: reply.totalMs,
    };
  }

  /** Steers the study's model; see steerGenerate. */
  steer(
    study: StudyRef,
    request: {
      prompt: string;
      features: SteerFeature[];
      maxNewTokens: number;
      seed: number | null;
      names?: SteerOptions["names"];
    },
  ): Promise<Timed<SteerResult>> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 60_000);
    return this.ask({ kind: "steer", ...study, ...request, deadline });
  }

  /** Reads `text` through the study; see analyzeText. */
  analyze(study: StudyRef, text: string, options: AnalyzeOptions = {}): Promise<Timed<TokenAnalysis[]>> {
    return this.ask({ kind: "analyze", ...study, text, options });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await (await worker.catch(() => null))?.terminate();
  }
}
