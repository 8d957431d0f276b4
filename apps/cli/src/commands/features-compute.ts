import { computeAndStoreFeatureData, StudyRefError } from "@interlace/server/studies";
import { type Command, requiredString, UsageError } from "../command.js";
import { describeDatabase, openMigratedDatabase } from "../database.js";
import { studyProgressPrinter } from "../study-progress.js";

export const featuresComputeCommand: Command = {
  path: ["features", "compute"],
  summary: "Compute a stored study's feature data (histograms, examples, logit effects, neighbours) and store it.",
  usage: `Flags:
  --study ID|NAME    the study, by id or by name (required); its folder must still hold its activation store and SAE
Runs in this process and waits; the study's earlier feature data is replaced in one transaction.
`,
  options: { study: { type: "string" } },
  async run(values, _positionals, config) {
    const ref = requiredString(values, "study", "give a study id or name, e.g. --study 'sotu-gpt2-6l L3'.");
    const { db } = await openMigratedDatabase(config);
    try {
      console.error(`feature data for "${ref}": ${describeDatabase(config, db)}`);
      const progress = studyProgressPrinter();
      const stored = await computeAndStoreFeatureData(db.sql, config, ref, {
        onProgress: (fraction) => progress({ fraction, message: "feature data on held-out rows" }),
      });
      progress({ fraction: 1, message: "stored" });
      console.log(`feature data of ${stored.features} features stored for study ${stored.studyId}`);
    } catch (error) {
      if (error instanceof StudyRefError) throw new UsageError(`--study: ${error.message}`);
      throw error;
    } finally {
      await db.close();
    }
  },
};
