import { resolveModel } from "@interlace/compute/lm";
import { computeStudyFeatureData, readStudyIdentity, STUDY_FILE } from "@interlace/compute/study";
import type { Sql } from "../db/sql.js";
import { saveFeatureData } from "../features/feature/feature-data.repository.js";
import { findStudiesByRef } from "../features/study/study.repository.js";
import type { StudyConfig } from "./run-and-store.js";
import { studyDirOnDisk } from "./study-dir.js";

/** A study named by id or name that cannot be found, is ambiguous, or has no folder to compute from. */
export class StudyRefError extends Error {
  override name = "StudyRefError";
}

/** The one study `ref` (an id or a name) names, with its folder on this machine (see study-dir.ts). */
export async function studyWithFolder(
  sql: Sql,
  ref: string,
  home: string,
): Promise<{ id: string; name: string; dir: string }> {
  const found = await findStudiesByRef(sql, ref);
  const [study] = found;
  if (!study) throw new StudyRefError(`there is no study with id or name "${ref}"; list the studies to find it.`);
  if (found.length > 1) {
    throw new StudyRefError(
      `${found.length} studies are named "${ref}" (${found.map((s) => s.id).join(", ")}); give one of their ids.`,
    );
  }
  if (!study.dir) {
    throw new StudyRefError(
      `study "${study.name}" (${study.id}) was stored before studies recorded their folder; run it again to get feature data.`,
    );
  }
  return { ...study, dir: studyDirOnDisk(home, study.dir) };
}

/** Computes feature data for a stored study from its folder (activation store, SAE, study.json), storing nothing. */
export async function computeFeatureDataOf(
  sql: Sql,
  config: StudyConfig,
  ref: string,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
) {
  const study = await studyWithFolder(sql, ref, config.home);
  const identity = readStudyIdentity(study.dir);
  if (!identity) {
    throw new StudyRefError(`study "${study.name}": its folder ${study.dir} holds no ${STUDY_FILE} any more.`);
  }
  const modelDir = await resolveModel(identity.modelName, config.home, {
    ...config.hub,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const data = await computeStudyFeatureData({
    workDir: study.dir,
    modelDir,
    backend: config.backend,
    ...options,
  });
  return { studyId: study.id, data };
}

/**
 * Computes feature data for a stored study (computeFeatureDataOf) and replaces the stored feature data in one
 * transaction. Returns how many features were stored.
 */
export async function computeAndStoreFeatureData(
  sql: Sql,
  config: StudyConfig,
  ref: string,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<{ studyId: string; features: number }> {
  const { studyId, data } = await computeFeatureDataOf(sql, config, ref, options);
  await sql.begin((tx) => saveFeatureData(tx, studyId, data));
  return { studyId, features: data.length };
}
