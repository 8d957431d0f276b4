/**
 * A worker thread of the interaction study: it sees the study's rows through shared memory and runs the jobs the
 * main thread sends (one at a time), reporting steps and returning held-out row errors and, when asked, the model.
 */

import type { ResidualModelState } from "../../nfm/model.js";
import type { SparseRows, TargetShift } from "../../nfm/residual-data.js";
import { serveWorker } from "../../workers/serve-worker.js";
import type { ModelFit } from "../report-types.js";
import type { StudyJob } from "./study-jobs.js";

export interface StudyWorkerData {
  f: SparseRows;
  x: Float32Array;
  r: Float32Array;
  /** The shift that makes r the nonlinear error r_nl (r − (x·A + c)), for models of r_nl. */
  shiftNl: TargetShift | null;
  dSae: number;
  dIn: number;
  trainRows: Int32Array;
  validationRows: Int32Array;
  heldOutRows: Int32Array;
}

export type StudyWorkerRequest = { type: "run"; id: number; job: StudyJob } | { type: "abort" };

export type StudyWorkerReply =
  | { id: number; step: number; steps: number }
  | {
      id: number;
      result: {
        residual: Float64Array | Float32Array;
        total: Float64Array | Float32Array;
        parameters: number;
        l0: number | null;
        fit: ModelFit;
        model: ResidualModelState | null;
      };
    }
  | { id: number; error: string; cancelled: boolean };

await serveWorker<StudyWorkerData>(async (shared, port) => {
  const { residualDataSparse } = await import("../../nfm/residual-data.js");
  const { runStudyJob, StudyCancelled } = await import("./study-jobs.js");
  const context = {
    data: residualDataSparse(shared.f, shared.x, shared.r, shared.dSae, shared.dIn),
    dataNl: residualDataSparse(shared.f, shared.x, shared.r, shared.dSae, shared.dIn, shared.shiftNl),
    trainRows: shared.trainRows,
    validationRows: shared.validationRows,
    heldOutRows: shared.heldOutRows,
  };
  let abort = new AbortController();
  const run = async (id: number, job: StudyJob) => {
    let lastStep = -1;
    try {
      const result = await runStudyJob(
        job,
        context,
        (step, steps) => {
          if (step - lastStep < 10 && step < steps) return;
          lastStep = step;
          port.postMessage({ id, step, steps } satisfies StudyWorkerReply);
        },
        abort.signal,
      );
      const model = result.model
        ? { config: result.model.config, scales: result.model.scales, tensors: result.model.exportTensors() }
        : null;
      result.model?.dispose();
      port.postMessage({
        id,
        result: { ...result.rows, parameters: result.parameters, l0: result.l0, fit: result.fit, model },
      } satisfies StudyWorkerReply);
    } catch (error) {
      port.postMessage({
        id,
        error: (error as Error).message,
        cancelled: error instanceof StudyCancelled,
      } satisfies StudyWorkerReply);
    }
  };
  port.on("message", (request: StudyWorkerRequest) => {
    if (request.type === "abort") {
      abort.abort();
      abort = new AbortController();
    } else void run(request.id, request.job);
  });
});
