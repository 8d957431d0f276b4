/**
 * Which compute engine a process asks for (INTERLACE_BACKEND): `onnxruntime` (tfjs-wasm as the tensor runtime, the
 * dense products on ONNX Runtime), `tensorflow` (tfjs-node-gpu / tfjs-node), `wasm` (tfjs-wasm alone), or `auto`
 * (the fastest installed engine, measured once). Apps read it from their configuration, resolve `auto` once
 * (`chooseEngine`, cached in their home) and pass the engine to `initBackend` and to every pool of worker threads;
 * compute itself never reads the environment.
 */
export const ENGINES = ["onnxruntime", "tensorflow", "wasm"] as const;

export type Engine = (typeof ENGINES)[number];

export const BACKEND_PREFERENCES = ["auto", ...ENGINES] as const;

export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
