/**
 * Chooses the TensorFlow.js backend once per process: tfjs-node-gpu, then tfjs-node (both optional and often absent),
 * then WebAssembly. Never the pure-JS cpu backend, which is tens of times slower.
 */
import * as tf from "@tensorflow/tfjs";

export type BackendPreference = "tensorflow" | "wasm";

type Candidate = "tfjs-node-gpu" | "tfjs-node" | "wasm";

let chosen: Promise<string> | null = null;

/** The candidates to try, in order, for a preference (argument first, then env INTERLACE_BACKEND). */
export function backendCandidates(prefer: string | undefined): Candidate[] {
  if (prefer === undefined || prefer === "" || prefer === "auto") return ["tfjs-node-gpu", "tfjs-node", "wasm"];
  if (prefer === "tensorflow") return ["tfjs-node-gpu", "tfjs-node"];
  if (prefer === "wasm") return ["wasm"];
  throw new Error(
    `INTERLACE_BACKEND=${JSON.stringify(prefer)} is not a backend: use "tensorflow" (needs @tensorflow/tfjs-node or ` +
      `@tensorflow/tfjs-node-gpu installed), "wasm", or leave it unset to choose automatically.`,
  );
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

async function choose(prefer: string | undefined): Promise<string> {
  const candidates = backendCandidates(prefer);
  for (const candidate of candidates) {
    const name = await tryCandidate(candidate);
    if (name !== null) {
      process.stderr.write(`interlace: tfjs backend ${name} (${candidate})\n`);
      return name;
    }
  }
  throw new Error(
    `No TensorFlow.js backend could start (tried ${candidates.join(", ")}). ` +
      `Reinstall dependencies with \`npm ci\`, or set INTERLACE_BACKEND=wasm.`,
  );
}

/**
 * Starts the backend and returns its tfjs name ("tensorflow" or "wasm"). Safe to call many times: the first call
 * decides, later calls return the same answer.
 */
export function initBackend(prefer?: BackendPreference): Promise<string> {
  if (chosen === null) {
    const request = prefer ?? process.env["INTERLACE_BACKEND"];
    chosen = choose(request).catch((error: unknown) => {
      chosen = null;
      throw error;
    });
  }
  return chosen;
}
