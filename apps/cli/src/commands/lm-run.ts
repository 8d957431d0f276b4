import { writeSafetensors } from "@interlace/compute/io";
import { parseHookName, type TransformerModel, type WriteHook } from "@interlace/compute/lm";
import { checkPromptLength, saeSteeringHook } from "@interlace/compute/steering";
import * as tf from "@tensorflow/tfjs";
import { type Command, requiredString, stringFlag, UsageError } from "../command.js";
import { requiredModelSpec, withModel } from "../model-flag.js";
import { asUsage, STEER_OPTIONS, STEER_USAGE, steerRequest, withSteering } from "../steer-flags.js";

function hooksFlag(raw: string | undefined, nLayers: number): string[] {
  if (raw === undefined || raw.trim() === "") return [];
  const hooks = raw.split(",").map((h) => h.trim());
  for (const hook of hooks) {
    try {
      parseHookName(hook, nLayers);
    } catch (error) {
      throw new UsageError(`--hooks: ${(error as Error).message}`);
    }
  }
  return hooks;
}

export const lmRunCommand: Command = {
  path: ["lm", "run"],
  summary: "Run a model on a prompt; save its token ids, logits and hook activations as safetensors.",
  usage: `Flags:
  --model M           Hugging Face model directory or hub id org/name (required)
  --prompt TEXT       the text to run (required)
  --hooks h1,h2       activations to save, e.g. blocks.3.hook_resid_post,blocks.3.hook_mlp_out (default none)
  --bos               prepend the BOS token (default: no BOS)
  --out FILE          the .safetensors file to write (required): float32 input_ids [T], logits [T, vocab]
                      and one [T, d] tensor per hook, named as the hook (a steered hook holds the steered x)
${STEER_USAGE}`,
  options: {
    model: { type: "string" },
    prompt: { type: "string" },
    hooks: { type: "string" },
    bos: { type: "boolean" },
    out: { type: "string" },
    ...STEER_OPTIONS,
  },
  async run(values, _positionals, config) {
    const spec = requiredModelSpec(values);
    const prompt = requiredString(values, "prompt", 'give the text to run, e.g. --prompt "Hello there".');
    const out = requiredString(values, "out", "give the file to write, e.g. --out activations.safetensors.");
    const steering = steerRequest(values);
    const bos = values["bos"] === true;
    await withModel(spec, config, async (model) => {
      const hooks = hooksFlag(stringFlag(values, "hooks"), model.info.nLayers);
      const ids = model.encode(prompt, bos);
      if (ids.length === 0) throw new UsageError("--prompt encodes to no tokens; give some text or add --bos.");
      asUsage(() => checkPromptLength(ids.length, 0, model.info, "--prompt"));
      const metadata: Record<string, string> = { model: spec, prompt, bos: String(bos) };
      if (!steering) return writeForward(model, ids, hooks, {}, out, metadata);
      await withSteering(steering, model, (sae, hook, features) => {
        metadata["steer"] = JSON.stringify({ sae: steering.saeDir, hook, features });
        writeForward(model, ids, hooks, { [hook]: saeSteeringHook(sae, features) }, out, metadata);
      });
    });
  },
};

/** Runs the forward pass and writes input_ids, logits and the read hooks to `out`. */
function writeForward(
  model: TransformerModel,
  ids: number[],
  hooks: string[],
  writeHooks: Record<string, WriteHook>,
  out: string,
  metadata: Record<string, string>,
): void {
  const result = model.forward([ids], { hooks, writeHooks });
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  try {
    tensors["input_ids"] = { shape: [ids.length], data: Float32Array.from(ids) };
    const logits = result.logits!;
    tensors["logits"] = { shape: logits.shape.slice(1), data: logits.dataSync() as Float32Array };
    for (const hook of hooks) {
      const t = result.hooks[hook]!;
      tensors[hook] = { shape: t.shape.slice(1), data: t.dataSync() as Float32Array };
    }
  } finally {
    tf.dispose([...(result.logits ? [result.logits] : []), ...Object.values(result.hooks)]);
  }
  writeSafetensors(out, tensors, metadata);
  const shapes = Object.entries(tensors).map(([name, t]) => `${name} [${t.shape.join(", ")}]`);
  process.stdout.write(`wrote ${out}: ${shapes.join(", ")}\n`);
}
