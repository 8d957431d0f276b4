import { initBackend } from "@interlace/compute/backend";
import { readSafetensors, writeSafetensors } from "@interlace/compute/io";
import { loadSaeLens, type Sae } from "@interlace/compute/sae";
import { type Command, requiredString, UsageError } from "../command.js";

export function openSae(dir: string): Sae {
  try {
    return loadSaeLens(dir);
  } catch (error) {
    throw new UsageError(`--sae: ${(error as Error).message}`);
  }
}

export const saeEncodeCommand: Command = {
  path: ["sae", "encode"],
  summary: "Encode rows with an SAE as SAELens does: tensor x [N, d_in] in, f [N, d_sae] and x_hat [N, d_in] out.",
  usage: `Flags:
  --sae DIR           SAELens directory (cfg.json + sae_weights.safetensors) (required)
  --input FILE        .safetensors file holding a tensor "x" [N, d_in] (required)
  --out FILE          .safetensors file to write with float32 "f" [N, d_sae] and "x_hat" [N, d_in] (required)
`,
  options: {
    sae: { type: "string" },
    input: { type: "string" },
    out: { type: "string" },
  },
  async run(values, _positionals, config) {
    const saeDir = requiredString(values, "sae", "give a SAELens SAE directory, e.g. --sae ./sae.");
    const input = requiredString(
      values,
      "input",
      "give a .safetensors file with a tensor x, e.g. --input x.safetensors.",
    );
    const out = requiredString(values, "out", "give the file to write, e.g. --out codes.safetensors.");
    await initBackend(config.backend);
    const sae = openSae(saeDir);
    try {
      const x = readSafetensors(input).tensors["x"];
      if (!x) throw new UsageError(`--input: ${input} has no tensor "x"; store the rows to encode as x [N, d_in].`);
      if (x.shape.length !== 2 || x.shape[1] !== sae.dIn) {
        throw new UsageError(
          `--input: x has shape [${x.shape.join(", ")}] but the SAE takes [N, ${sae.dIn}]; pass rows of the SAE's hook.`,
        );
      }
      const n = x.shape[0]!;
      const { f, xHat } = sae.reconstruct(x.data);
      writeSafetensors(out, { f: { shape: [n, sae.dSae], data: f }, x_hat: { shape: [n, sae.dIn], data: xHat } });
      process.stdout.write(`wrote ${out}: f [${n}, ${sae.dSae}], x_hat [${n}, ${sae.dIn}]\n`);
    } finally {
      sae.dispose();
    }
  },
};
