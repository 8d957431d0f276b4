import { generate } from "@interlace/compute/lm";
import { steerGenerate } from "@interlace/compute/steering";
import { type Command, floatFlag, intFlag, requiredString, UsageError } from "../command.js";
import { requiredModelSpec, withModel } from "../model-flag.js";
import { asUsage, STEER_FLAG_NAMES, STEER_OPTIONS, STEER_USAGE, steerRequest, withSteering } from "../steer-flags.js";

export const lmGenerateCommand: Command = {
  path: ["lm", "generate"],
  summary:
    "Continue a prompt with a model (greedy, or sampled with a seed); with --steer-* flags print the baseline and the steered text.",
  usage: `Flags:
  --model M           Hugging Face model directory or hub id org/name (required)
  --prompt TEXT       the text to continue (required)
  --max-new-tokens N  new tokens at most (default 32; at most 64 when steering); --max-tokens is the same
  --temperature T     0 is greedy (default 0)
  --top-k K           sample among the K most likely tokens; 0 = all (default 0)
  --top-p P           sample among the most likely tokens holding probability P (default 1)
  --seed S            sampler seed (default 0); steering draws both texts with it
  --bos               prepend the BOS token (default: no BOS)
${STEER_USAGE}`,
  options: {
    model: { type: "string" },
    prompt: { type: "string" },
    "max-tokens": { type: "string" },
    "max-new-tokens": { type: "string" },
    temperature: { type: "string" },
    "top-k": { type: "string" },
    "top-p": { type: "string" },
    seed: { type: "string" },
    bos: { type: "boolean" },
    ...STEER_OPTIONS,
  },
  async run(values, _positionals, config) {
    const spec = requiredModelSpec(values);
    const prompt = requiredString(values, "prompt", 'give the text to continue, e.g. --prompt "Once upon a time".');
    if (values["max-tokens"] !== undefined && values["max-new-tokens"] !== undefined) {
      throw new UsageError("--max-tokens and --max-new-tokens are the same flag; give one.");
    }
    const maxTokens =
      values["max-new-tokens"] !== undefined
        ? intFlag(values, "max-new-tokens", 32, 0)
        : intFlag(values, "max-tokens", 32, 0);
    const temperature = floatFlag(values, "temperature", 0);
    const topK = intFlag(values, "top-k", 0, 0);
    const topP = floatFlag(values, "top-p", 1);
    const seed = intFlag(values, "seed", 0, 0);
    if (temperature < 0) throw new UsageError(`--temperature must be ≥ 0, got ${temperature}.`);
    if (!(topP > 0 && topP <= 1)) throw new UsageError(`--top-p must be in (0, 1], got ${topP}.`);
    const bos = values["bos"] === true;
    const steering = steerRequest(values);
    await withModel(spec, config, async (model) => {
      if (!steering) {
        process.stdout.write(prompt);
        const result = generate(model, prompt, {
          maxTokens,
          temperature,
          topK,
          topP,
          seed,
          bos,
          onToken: (_id, text) => process.stdout.write(text),
        });
        process.stdout.write("\n");
        process.stderr.write(`interlace: ${result.tokenIds.length} tokens, stopped by ${result.stopReason}\n`);
        return;
      }
      await withSteering(steering, model, (sae, hook, features) => {
        const result = asUsage(() =>
          steerGenerate(model, sae, hook, prompt, features, {
            maxNewTokens: maxTokens,
            seed: temperature > 0 ? seed : null,
            temperature,
            topK,
            topP,
            bos,
            names: { ...STEER_FLAG_NAMES, prompt: "--prompt", maxNewTokens: "--max-new-tokens" },
          }),
        );
        process.stdout.write(`baseline: ${prompt}${result.baseline.text}\n`);
        process.stdout.write(`steered:  ${prompt}${result.steered.text}\n`);
        const changes = features.map((f) => `${f.mode} ${f.index}=${f.value}`).join(", ");
        const mean = result.logProbDiff.reduce((s, d) => s + d, 0) / Math.max(1, result.logProbDiff.length);
        process.stderr.write(
          `interlace: steered at ${hook} (${changes}); mean log-prob change of the steered tokens ${mean.toFixed(3)}\n`,
        );
      });
    });
  },
};
