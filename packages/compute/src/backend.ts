/**
 * Chooses the TensorFlow.js backend once per thread: tfjs-node-gpu, then tfjs-node (both optional and often absent),
 * then WebAssembly. Never the pure-JS cpu backend, which is tens of times slower.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendPreference } from "./backend-preference.js";

export { BACKEND_PREFERENCES, type BackendPreference } from "./backend-preference.js";

type Candidate = "tfjs-node-gpu" | "tfjs-node" | "wasm";

let chosen: Promise<string> | null = null;

/** The candidates to try, in order, for a preference. */
export function backendCandidates(prefer: BackendPreference): Candidate[] {
  switch (prefer) {
    case "auto":
      return ["tfjs-node-gpu", "tfjs-node", "wasm"];
    case "tensorflow":
      return ["tfjs-node-gpu", "tfjs-node"];
    case "wasm":
      return ["wasm"];
  }
}

async function tryCandidate(candidate: Candidate): Promise<string | null> {
  try {
    if (candidate === "wasm") {
      await import("@tensorflow/tfjs-backend-wasm");
      if (!(await tf.setBackend("wasm"))) return null;
    } else {
      await import(`@tensorflow/${candidate}`);
      if (!(await tf.setBackend("tensorflow"))) return null;
    }
    await tf.ready();
    return tf.getBackend();
  } catch {
    return null;
  }
}

async function choose(prefer: BackendPreference): Promise<string> {
  const candidates = backendCandidates(prefer);
  for (const candidate of candidates) {
    const name = await tryCandidate(candidate);
    if (name !== null) {
      process.stderr.write(`interlace: tfjs backend ${name} (${candidate})\n`);
      return name;
    }
  }
  throw new Error(
    `No TensorFlow.js backend could start for the preference "${prefer}" (tried ${candidates.join(", ")}). ` +
      `Reinstall dependencies with \`npm ci\`, or choose the wasm backend (INTERLACE_BACKEND=wasm).`,
  );
}

/**
 * Starts the backend `prefer` asks for (the app's configured preference) and returns its tfjs name ("tensorflow" or
 * "wasm"). Safe to call many times: the first call in a thread decides, later calls return the same answer.
 */
export function initBackend(prefer: BackendPreference): Promise<string> {
  if (chosen === null) {
    chosen = choose(prefer).catch((error: unknown) => {
      chosen = null;
      throw error;
    });
  }
  return chosen;
}
