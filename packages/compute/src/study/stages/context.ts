import type { BackendPreference } from "../../backend-preference.js";
import type { StudySettings } from "../options.js";
import type { PhaseReporter } from "../progress.js";
import type { studyPaths } from "../study-folder.js";

/** What every stage of a study run shares: its settings, folder, hook, progress and cancellation. */
export interface StudyContext {
  name: string;
  modelDir: string;
  modelName: string;
  hook: string;
  settings: StudySettings;
  paths: ReturnType<typeof studyPaths>;
  /** The study folder already held this study: stages continue from what it holds. */
  resuming: boolean;
  /** The engine preference (passed to worker threads) and the engine this thread runs (recorded in provenance). */
  backend: BackendPreference;
  runningBackend: string;
  phase: PhaseReporter;
  signal?: AbortSignal;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error("Study cancelled.", { cause: signal.reason });
}

/** `{ signal }` when there is one, for options objects that must not carry an undefined key. */
export function signalOf(context: StudyContext): { signal?: AbortSignal } {
  return context.signal ? { signal: context.signal } : {};
}
