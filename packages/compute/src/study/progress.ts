import type { StudySettings } from "./options.js";

export interface StudyProgress {
  /** 0..1 over the whole study. */
  fraction: number;
  /** What is running now, e.g. "SAE step 120/300". */
  message: string;
}

/** Share of the study's progress bar per stage (the joint mode, when on, takes part of the interactions' share). */
export function phasesOf(settings: Pick<StudySettings, "jointSteps">) {
  const joint = settings.jointSteps > 0;
  return {
    harvest: [0, 0.25],
    sae: [0.25, 0.4],
    interactions: [0.4, joint ? 0.8 : 0.95],
    joint: [0.8, 0.95],
    summaries: [0.95, 1],
  } as const;
}

export type StudyPhase = keyof ReturnType<typeof phasesOf>;

/** Reports progress within a phase (0..1, clamped) as a fraction of the whole study. */
export type PhaseReporter = (phase: StudyPhase, within: number, message: string) => void;

export function phaseReporter(
  settings: Pick<StudySettings, "jointSteps">,
  onProgress: ((p: StudyProgress) => void) | undefined,
): PhaseReporter {
  const phases = phasesOf(settings);
  return (phase, within, message) => {
    const [from, to] = phases[phase];
    onProgress?.({ fraction: from + (to - from) * Math.min(1, Math.max(0, within)), message });
  };
}
