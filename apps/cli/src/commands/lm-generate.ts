import { generate } from "@interlace/compute/lm";
import { type Command, floatFlag, intFlag, requiredString, UsageError } from "../command.js";
import { requiredModelSpec, withModel } from "../model-flag.js";

export const lmGenerateCommand: Command = {
  path: ["lm", "generate"],
  summary: "Continue a prompt with a model (greedy, or sampled with a seed); prints the text as it is produced.",
  usage: `Flags:
  --model M           Hugging Face model directory or hub id org/name (required)
  --prompt TEXT       the text to continue (required)
  --max-tokens N      new tokens at most (default 32)
  --temperature T     0 is greedy (default 0)
  --top-k K           sample among the K most likely tokens; 0 = all (default 0)
  --top-p P           sample among the most likely tokens holding probability P (default 1)
  --seed S            sampler seed (default 0)
  --bos               prepend the BOS token (default: no BOS)
`,
  options: {
    model: { type: "string" },
    prompt: { type: "string" },
    "max-tokens": { type: "string" },
    temperature: { type: "string" },
    "top-k": { type: "string" },
    "top-p": { type: "string" },
    seed: { type: "string" },
    bos: { type: "boolean" },
  },
  async run(values, _positionals, config) {
    const spec = requiredModelSpec(values);
    const prompt = requiredString(values, "prompt", 'give the text to continue, e.g. --prompt "Once upon a time".');
    const maxTokens = intFlag(values, "max-tokens", 32, 0);
    const temperature = floatFlag(values, "temperature", 0);
    const topK = intFlag(values, "top-k", 0, 0);
    const topP = floatFlag(values, "top-p", 1);
    const seed = intFlag(values, "seed", 0, 0);
    if (temperature < 0) throw new UsageError(`--temperature must be ≥ 0, got ${temperature}.`);
    if (!(topP > 0 && topP <= 1)) throw new UsageError(`--top-p must be in (0, 1], got ${topP}.`);
    await withModel(spec, config, (model) => {
      process.stdout.write(prompt);
      const result = generate(model, prompt, {
        maxTokens,
        temperature,
        topK,
        topP,
        seed,
        bos: values["bos"] === true,
        onToken: (_id, text) => process.stdout.write(text),
      });
      process.stdout.write("\n");
      process.stderr.write(`interlace: ${result.tokenIds.length} tokens, stopped by ${result.stopReason}\n`);
    });
  },
};
