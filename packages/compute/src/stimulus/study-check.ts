/**
 * Checking a design against a study without loading its models: the tokenizer (for prompt lengths), the SAE's
 * SAELens config (width, context, BOS) and the NFM's K. The API checks a request this way before it stores anything.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadTokenizer } from "../lm/tokenizer.js";
import type { Tokenizer } from "../lm/types.js";
import { parseSaeLensConfig, SAELENS_CFG } from "../sae/saelens.js";
import type { SaeConfig } from "../sae/types.js";
import { hasStudyNfm } from "../study/artifacts.js";
import { readStudyIdentity, STUDY_FILE, studyPaths } from "../study/study-folder.js";
import { checkDesignForStudy, type StimulusDesign } from "./design.js";
import { parseMeasure } from "./measure-names.js";
import { studyReading, tokenizePrompt } from "./measures.js";

export interface StudyReadingParts {
  tokenizer: Tokenizer;
  sae: SaeConfig;
  maxPositions: number;
  /** The NFM's K. */
  k: number;
}

export function checkDesignAgainst(parts: StudyReadingParts, design: StimulusDesign, measure: string): void {
  const { bos, context } = studyReading(parts.sae, parts.maxPositions);
  checkDesignForStudy(design, {
    context,
    dSae: parts.sae.d_sae,
    tokenCount: (prompt) => tokenizePrompt(parts.tokenizer, bos, prompt).ids.length,
  });
  parseMeasure(measure, { dSae: parts.sae.d_sae, k: parts.k });
}

/** Checks a design against the study in `workDir` whose model lives in `modelDir` (only small files are read). */
export function checkDesignForStudyFolder(
  workDir: string,
  modelDir: string,
  design: StimulusDesign,
  measure: string,
): void {
  const identity = readStudyIdentity(workDir);
  if (!identity) throw new Error(`${workDir} holds no study (no ${STUDY_FILE}); give the folder of a study that ran.`);
  if (!hasStudyNfm(workDir, identity.settings.seeds[0] ?? 0)) {
    throw new Error("the study's folder kept no full NFM; run the study again to analyse stimuli with it.");
  }
  const cfgPath = join(identity.saeDir ?? studyPaths(workDir).sae, SAELENS_CFG);
  const sae = parseSaeLensConfig(JSON.parse(readFileSync(cfgPath, "utf8")) as Record<string, unknown>, cfgPath);
  const config = JSON.parse(readFileSync(join(modelDir, "config.json"), "utf8")) as Record<string, unknown>;
  const positions = config["n_positions"] ?? config["max_position_embeddings"];
  checkDesignAgainst(
    {
      tokenizer: loadTokenizer(modelDir),
      sae,
      maxPositions: typeof positions === "number" ? positions : identity.settings.context,
      k: identity.settings.nfmK,
    },
    design,
    measure,
  );
}
