/**
 * A study's folder and what it records about the run: `study.json` names the model, hook and settings, so that an
 * interrupted study can be resumed in place (its activation store, SAE checkpoint and every model checkpoint are
 * reused) and a resume with different settings is refused instead of silently mixing two studies.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StudySettings } from "./options.js";

export const STUDY_FILE = "study.json";

export interface StudyIdentity {
  name: string;
  modelName: string;
  /** The studied hook, or the SAE folder the hook comes from. */
  layer: number | null;
  saeDir: string | null;
  settings: StudySettings;
}

/** Where each stage keeps its files inside the study folder. */
export function studyPaths(workDir: string) {
  return {
    manifest: join(workDir, STUDY_FILE),
    /** The train / validation / held-out split (document names, or window ids). */
    split: join(workDir, "split.json"),
    activations: join(workDir, "activations"),
    /** The trained SAE in SAELens layout. */
    sae: join(workDir, "sae"),
    saeCheckpoint: join(workDir, "sae-training"),
    /** One folder per NFM / control / seed, each with its checkpoint (and final weights). */
    models: join(workDir, "models"),
  };
}

export function readStudyIdentity(workDir: string): StudyIdentity | null {
  const path = studyPaths(workDir).manifest;
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, "utf8")) as StudyIdentity;
}

/** Fields of `wanted` that differ from the recorded identity (settings field by field). */
export function studyDifferences(saved: StudyIdentity, wanted: StudyIdentity): string[] {
  const differ: string[] = [];
  for (const key of ["modelName", "layer", "saeDir"] as const) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(wanted[key])) differ.push(key);
  }
  for (const key of Object.keys(wanted.settings) as (keyof StudySettings)[]) {
    if (key === "workers") continue; // threads change speed, not results
    if (JSON.stringify(saved.settings[key]) !== JSON.stringify(wanted.settings[key])) differ.push(`settings.${key}`);
  }
  return differ;
}

/**
 * Prepares the folder: a fresh study writes its identity; a resumed one must find the same identity there.
 * Returns whether earlier work in the folder may be reused.
 */
export function openStudyFolder(workDir: string, identity: StudyIdentity, resume: boolean): boolean {
  mkdirSync(workDir, { recursive: true });
  const saved = readStudyIdentity(workDir);
  if (resume) {
    if (!saved) {
      throw new Error(`there is no study to resume in ${workDir} (no ${STUDY_FILE}); start it without resume.`);
    }
    const differ = studyDifferences(saved, identity);
    if (differ.length > 0) {
      throw new Error(
        `the study in ${workDir} was started with other ${differ.join(", ")}; resume it with the same settings or start a new study.`,
      );
    }
    return true;
  }
  if (saved) {
    throw new Error(
      `${workDir} already holds a study; resume it, or give a new folder so its files are not overwritten.`,
    );
  }
  const path = studyPaths(workDir).manifest;
  writeFileSync(`${path}.partial`, `${JSON.stringify(identity, null, 2)}\n`);
  renameSync(`${path}.partial`, path);
  return false;
}

/** Writes a JSON file of the study folder atomically (temp name, then rename). */
export function writeStudyJson(path: string, value: unknown): void {
  writeFileSync(`${path}.partial`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${path}.partial`, path);
}
