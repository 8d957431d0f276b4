import type { Command } from "../command.js";
import { harvestCommand } from "./harvest.js";
import { lmGenerateCommand } from "./lm-generate.js";
import { lmRunCommand } from "./lm-run.js";
import { migrateCommand } from "./migrate.js";
import { serveCommand } from "./serve.js";
import { startCommand } from "./start.js";
import { studyRunCommand } from "./study-run.js";
import { workerCommand } from "./worker.js";

/** Every `interlace` command, in the order `interlace --help` lists them. */
export const commands: readonly Command[] = [
  startCommand,
  migrateCommand,
  serveCommand,
  workerCommand,
  studyRunCommand,
  harvestCommand,
  lmRunCommand,
  lmGenerateCommand,
];
