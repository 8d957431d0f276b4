import {
  checkExplainRequest,
  claudeOf,
  describeSummary,
  ExplainRequestError,
  explainFeatures,
  findStudiesByRef,
  NotConfiguredError,
} from "@interlace/server/explain";
import { type Command, requiredString, stringFlag, UsageError } from "../command.js";
import { describeDatabase, openMigratedDatabase } from "../database.js";

/** "3,7,12" → [3, 7, 12]; anything else is a usage error naming the flag. */
function parseIndices(raw: string): number[] {
  const parts = raw.split(",").map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part))) {
    throw new UsageError(`--features must be feature indices separated by commas, e.g. 3,7,12 (got "${raw}")`);
  }
  return parts.map(Number);
}

function parseTop(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`--top must be a whole number, e.g. --top 20 (got "${raw}")`);
  return Number(raw);
}

export const explainCommand: Command = {
  path: ["explain"],
  summary: "Explain features of a stored study with Claude and score the explanations (detection, fuzzing).",
  usage: `Flags:
  --study ID|NAME          the study, by id or by name (required)
  --features 3,7,12        the features to explain, or
  --top N                  the N densest features
  --scorers LIST           detection,fuzzing (default: both)
  --token-budget N         input + output tokens this run may spend (default and maximum: INTERLACE_EXPLAIN_TOKEN_BUDGET)
  --seed N                 seed of the held-out split (default 0)
  --pairs                  also explain the interaction pairs among these features
Runs in this process against the study's database and prints each feature as it finishes. Needs ANTHROPIC_API_KEY
(ANTHROPIC_BASE_URL for a gateway, INTERLACE_CLAUDE_MODEL for the model). Exits 0 when every feature has an
explanation, 1 otherwise.
`,
  usesEngine: false,
  options: {
    study: { type: "string" },
    features: { type: "string" },
    top: { type: "string" },
    scorers: { type: "string" },
    "token-budget": { type: "string" },
    seed: { type: "string" },
    pairs: { type: "boolean" },
  },
  async run(values, _positionals, config) {
    const ref = requiredString(values, "study", "give a study id or name, e.g. --study 'sotu-gpt2-6l L3'.");
    const features = stringFlag(values, "features");
    const top = stringFlag(values, "top");
    const scorers = stringFlag(values, "scorers");
    const budget = stringFlag(values, "token-budget");
    const seed = stringFlag(values, "seed");
    const whole = (name: string, raw: string | undefined) => {
      if (raw === undefined) return undefined;
      if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number (got "${raw}")`);
      return Number(raw);
    };
    const { db } = await openMigratedDatabase(config);
    try {
      const found = await findStudiesByRef(db.sql, ref);
      const [study] = found;
      if (!study) throw new UsageError(`--study: there is no study with id or name "${ref}"; list the studies.`);
      if (found.length > 1) {
        throw new UsageError(`--study: ${found.length} studies are named "${ref}"; give one of their ids.`);
      }
      const request = await checkExplainRequest(
        db.sql,
        config.explain,
        {
          studyId: study.id,
          indices: features === undefined ? undefined : parseIndices(features),
          top: top === undefined ? undefined : parseTop(top),
          scorers: scorers?.split(","),
          tokenBudget: whole("token-budget", budget),
          seed: whole("seed", seed),
          pairs: values.pairs === true,
        },
        { indices: "--features", top: "--top", scorers: "--scorers", tokenBudget: "--token-budget", seed: "--seed" },
      );
      console.error(
        `explaining ${request.indices.length} features of "${study.name}" with ${config.explain.model} ` +
          `(${request.scorers.join(", ")}; budget ${request.tokenBudget} tokens): ${describeDatabase(config, db)}`,
      );
      const summary = await explainFeatures(
        {
          sql: db.sql,
          claude: claudeOf(config.explain),
          concurrency: config.explain.concurrency,
          runId: null,
          onFeature: (outcome, done, total) => {
            const scores = outcome.scores.map((s) => `${s.kind} ${s.value.toFixed(2)} (n=${s.n})`).join(", ");
            const detail = outcome.status === "explained" ? `${JSON.stringify(outcome.text)} ${scores}` : "";
            const note = outcome.message ? ` [${outcome.message}]` : "";
            console.error(`[${done}/${total}] feature ${outcome.index}: ${outcome.status} ${detail}${note}`);
          },
        },
        request,
      );
      for (const p of summary.pairs) {
        console.error(
          `pair ${p.a}–${p.b}: ${p.text === null ? `not explained [${p.message}]` : JSON.stringify(p.text)}`,
        );
      }
      for (const b of summary.baseline) {
        console.error(`random-explanation baseline: ${b.kind} ${b.value.toFixed(2)} (n=${b.n})`);
      }
      console.log(describeSummary(summary));
      const missing = summary.outcomes.filter((o) => o.status !== "explained").map((o) => o.index);
      if (missing.length > 0) {
        throw new Error(`${missing.length} features have no explanation (${missing.join(", ")}); see the lines above`);
      }
    } catch (error) {
      if (error instanceof NotConfiguredError || error instanceof ExplainRequestError) {
        throw new UsageError(error.message);
      }
      throw error;
    } finally {
      await db.close();
    }
  },
};
