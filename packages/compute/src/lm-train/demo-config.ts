/** The shape of a demo GPT-2 model and how it is written as a Hugging Face `config.json`. */

export interface Gpt2Shape {
  nLayers: number;
  dModel: number;
  nHeads: number;
  /** Context length (learned positions). */
  context: number;
  /** 256 byte symbols + merges + `<|endoftext|>`. */
  vocabSize: number;
}

/** One point of the training curve. */
export interface CurvePoint {
  step: number;
  tokens: number;
  seconds: number;
  /** Mean training loss over the steps since the previous point (null for the point before training). */
  train_loss: number | null;
  /** Cross-entropy on the held-out windows (nats per token). */
  val_loss: number;
}

/** Written to config.json → `training`. */
export interface TrainingRecord {
  corpus: string;
  merges: number;
  seed: number;
  steps: number;
  tokens_seen: number;
  batch_size: number;
  seconds: number;
  held_out_fraction: number;
  held_out_documents: string[];
  held_out_tokens: number;
  val_loss: number;
  loss_curve: CurvePoint[];
}

export function checkShape(shape: Gpt2Shape): void {
  for (const [name, value] of Object.entries(shape)) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`model ${name} must be a positive integer, got ${value}.`);
  }
  if (shape.dModel % shape.nHeads !== 0) {
    throw new Error(`model dModel ${shape.dModel} must be a multiple of nHeads ${shape.nHeads}.`);
  }
}

/** The Hugging Face GPT-2 config.json object, with `<|endoftext|>` (the last id) as BOS and EOS. */
export function gpt2ConfigJson(shape: Gpt2Shape, training: TrainingRecord): Record<string, unknown> {
  const endOfText = shape.vocabSize - 1;
  return {
    architectures: ["GPT2LMHeadModel"],
    model_type: "gpt2",
    activation_function: "gelu_new",
    bos_token_id: endOfText,
    eos_token_id: endOfText,
    n_ctx: shape.context,
    n_inner: null,
    tie_word_embeddings: true,
    torch_dtype: "float32",
    vocab_size: shape.vocabSize,
    n_positions: shape.context,
    n_embd: shape.dModel,
    n_layer: shape.nLayers,
    n_head: shape.nHeads,
    layer_norm_epsilon: 1e-5,
    training,
  };
}
