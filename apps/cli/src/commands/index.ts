import type { Command } from "../command.js";
import { doctorCommand } from "./doctor.js";
import { explainCommand } from "./explain.js";
import { featuresComputeCommand } from "./features-compute.js";
import { harvestCommand } from "./harvest.js";
import { lmGenerateCommand } from "./lm-generate.js";
import { lmRunCommand } from "./lm-run.js";
import { migrateCommand } from "./migrate.js";
import { saeEncodeCommand } from "./sae-encode.js";
import { saeEvalCommand } from "./sae-eval.js";
import { saeTrainCommand } from "./sae-train.js";
import { saeTrainResidualCommand } from "./sae-train-residual.js";
import { serveCommand } from "./serve.js";
import { startCommand } from "./start.js";
import { statsAnova2Command } from "./stats-anova2.js";
import { stimulusRunCommand } from "./stimulus-run.js";
import { studyRunCommand } from "./study-run.js";
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from "./token.js";
import { trainLmCommand } from "./train-lm.js";
import { workerCommand } from "./worker.js";

/** Every `interlace` command, in the order `interlace --help` lists them. */
export const commands: readonly Command[] = [
  startCommand,
  migrateCommand,
  serveCommand,
  workerCommand,
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
  studyRunCommand,
  featuresComputeCommand,
  explainCommand,
  harvestCommand,
  saeTrainCommand,
  saeEncodeCommand,
  saeEvalCommand,
  saeTrainResidualCommand,
  lmRunCommand,
  lmGenerateCommand,
  trainLmCommand,
  stimulusRunCommand,
  statsAnova2Command,
  doctorCommand,
];
