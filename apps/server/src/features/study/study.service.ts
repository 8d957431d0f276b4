import { rm } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { ReportShapeError } from "@interlace/compute/evidence";
import type { Sql } from "../../db/sql.js";
import { badUserInput, checkCount, damagedData, isId, notFound } from "../../graphql/errors.js";
import { listDensities } from "../feature/feature.repository.js";
import { log10DensityHistogram } from "./density-histogram.js";
import { evidenceOf } from "./evidence.service.js";
import type { Evidence } from "./evidence.type.js";
import { deleteStudy, findStudy, listStudies, type StudyRow, studyExists } from "./study.repository.js";
import type { HistogramBin, Study } from "./study.type.js";

function toStudy(row: StudyRow): Study {
  return {
    id: row.id,
    name: row.name,
    model: row.model,
    hook: row.hook,
    createdAt: row.createdAt,
    metrics: row.metrics,
    report: row.report,
  };
}

/** True when `dir` lies strictly inside `root` (a study folder the app made, safe to remove). */
export function isInside(root: string, dir: string): boolean {
  const path = relative(resolve(root), resolve(dir));
  return path !== "" && path !== ".." && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

export class StudyService {
  constructor(
    private readonly sql: Sql,
    /** $INTERLACE_HOME: study folders under its studies/ are removed with their study. */
    private readonly home: string,
  ) {}

  /** Newest first, `first` at a time, after the study `after` (the last id of the previous page). */
  async list(first: number, after: string | null | undefined): Promise<Study[]> {
    const limit = checkCount("first", first);
    if (after !== null && after !== undefined && !(isId(after) && (await studyExists(this.sql, after)))) {
      throw badUserInput(
        `after must be the id of a study (the last id of the previous page); got ${JSON.stringify(after.slice(0, 80))}`,
      );
    }
    return (await listStudies(this.sql, { limit, after: after ?? undefined })).map(toStudy);
  }

  async find(id: string): Promise<Study | null> {
    if (!isId(id)) return null;
    const row = await findStudy(this.sql, id);
    return row ? toStudy(row) : null;
  }

  /** Deletes the study's rows in one statement, then its folder when the app made it under home/studies. */
  async delete(id: string): Promise<boolean> {
    const deleted = isId(id) ? await deleteStudy(this.sql, id) : undefined;
    if (!deleted) throw notFound(`No study has id ${id.slice(0, 80)}; list studies with the studies query`);
    if (deleted.dir && isInside(join(this.home, "studies"), deleted.dir)) {
      await rm(deleted.dir, { recursive: true, force: true });
    }
    return true;
  }

  /** The typed evidence of the study's report; null when the study has no report. */
  evidence(study: Study): Evidence | null {
    if (study.report === null) return null;
    try {
      return evidenceOf(study.report);
    } catch (error) {
      if (error instanceof ReportShapeError) throw damagedData(error.message);
      throw error;
    }
  }

  async densityHistogram(studyId: string, bins: number): Promise<HistogramBin[]> {
    checkCount("bins", bins);
    return log10DensityHistogram(await listDensities(this.sql, studyId), bins);
  }
}
