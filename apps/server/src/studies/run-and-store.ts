import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveModel } from "@interlace/compute/lm";
import {
  renderReportMarkdown,
  runStudy,
  type StudyProgress,
  type StudyReport,
  type StudyResult,
  type StudySettings,
} from "@interlace/compute/study";
import type { Config } from "../config.js";
import type { Sql } from "../db/sql.js";
import { saveStudy } from "../features/study/study.repository.js";
import { storedStudyDir } from "./study-dir.js";

/** What running a study needs of the app's configuration: where it lives, the compute backend and the hub. */
export type StudyConfig = Pick<Config, "home" | "backend" | "hub">;

export interface StudyRequest {
  name: string;
  /** A local Hugging Face directory or a hub id. */
  model: string;
  layer?: number;
  saeDir?: string;
  settings: StudySettings;
}

export interface StoredStudy {
  studyId: string;
  /** The study's folder under $INTERLACE_HOME/studies. */
  dir: string;
  report: StudyReport;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 48) || "study"
  );
}

/** A new folder for a study under home/studies, named after it. */
export function newStudyDir(home: string, name: string): string {
  return join(home, "studies", `${slug(name)}-${Date.now().toString(36)}`);
}

/** Writes a file under a temporary name and renames it, so a reader never sees half of it. */
function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.partial`, text);
  renameSync(`${path}.partial`, path);
}

/** Writes report.json and report.md into a folder. */
export function writeReportFiles(dir: string, report: StudyReport): void {
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeAtomic(join(dir, "report.md"), renderReportMarkdown(report));
}

/** Options of computing a study in its folder. */
export interface StudyRunOptions {
  onProgress?: (p: StudyProgress) => void;
  signal?: AbortSignal;
  /** The study's folder (default: a new one under home/studies). */
  dir?: string;
  /** Continue the study already in `dir` (see runStudy). */
  resume?: boolean;
}

/**
 * Runs a whole study without storing it: resolves the model (downloading a hub id once from the configured hub),
 * runs the pipeline on the configured backend in its own folder under `home/studies` and writes the report there.
 */
export async function computeStudy(
  config: StudyConfig,
  request: StudyRequest,
  options: StudyRunOptions = {},
): Promise<{ dir: string; result: StudyResult }> {
  const modelDir = await resolveModel(request.model, config.home, {
    ...config.hub,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const dir = options.dir ?? newStudyDir(config.home, request.name);
  const result = await runStudy({
    name: request.name,
    modelDir,
    modelName: request.model,
    ...(request.layer !== undefined ? { layer: request.layer } : {}),
    ...(request.saeDir !== undefined ? { saeDir: request.saeDir } : {}),
    settings: request.settings,
    workDir: dir,
    resume: options.resume === true,
    backend: config.backend,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  writeReportFiles(dir, result.report);
  return { dir, result };
}

/** Runs a whole study (computeStudy) and saves everything to the database in one transaction. */
export async function runAndStoreStudy(
  sql: Sql,
  config: StudyConfig,
  request: StudyRequest,
  options: StudyRunOptions = {},
): Promise<StoredStudy> {
  const { dir, result } = await computeStudy(config, request, options);
  const studyId = await saveStudy(sql, result, { dir: storedStudyDir(config.home, dir) });
  return { studyId, dir, report: result.report };
}
