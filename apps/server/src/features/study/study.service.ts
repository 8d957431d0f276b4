import type { Sql } from "../../db/sql.js";
import { checkCount, isId } from "../../graphql/errors.js";
import { listDensities } from "../feature/feature.repository.js";
import { log10DensityHistogram } from "./density-histogram.js";
import { evidenceOf } from "./evidence.service.js";
import type { Evidence } from "./evidence.type.js";
import { findStudy, listStudies, type StudyRow } from "./study.repository.js";
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

export class StudyService {
  constructor(private readonly sql: Sql) {}

  async list(): Promise<Study[]> {
    return (await listStudies(this.sql)).map(toStudy);
  }

  async find(id: string): Promise<Study | null> {
    if (!isId(id)) return null;
    const row = await findStudy(this.sql, id);
    return row ? toStudy(row) : null;
  }

  /** The typed evidence of the study's report; null when the study has no report. */
  evidence(study: Study): Evidence | null {
    return study.report === null ? null : evidenceOf(study.report);
  }

  async densityHistogram(studyId: string, bins: number): Promise<HistogramBin[]> {
    checkCount("bins", bins, 1000);
    return log10DensityHistogram(await listDensities(this.sql, studyId), bins);
  }
}
