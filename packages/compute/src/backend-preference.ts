/**
 * Which TensorFlow.js backend a process asks for: the native `tensorflow` one (tfjs-node-gpu / tfjs-node), `wasm`, or
 * `auto` (native when installed, else wasm). Apps read it from their configuration and pass it to `initBackend`
 * and to every pool of worker threads; compute itself never reads the environment.
 */
export const BACKEND_PREFERENCES = ["tensorflow", "wasm", "auto"] as const;

export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
