import { readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { isHubId } from "@interlace/compute/lm";
import { badUserInput } from "../../graphql/errors.js";

/** A model a run may use: a Hugging Face id (checked by its form only), or a model folder under a model root. */
export type RequestedModel = { kind: "hub"; id: string } | { kind: "local"; dir: string; layers: number | undefined };

const MAX_MODEL_LENGTH = 300;

/** The one answer for every model the server will not use, whatever exists on disk. */
function modelNotFound(spec: string): Error {
  const shown = spec.length > 80 ? `${spec.slice(0, 80)}…` : spec;
  return badUserInput(
    `input.model ${JSON.stringify(shown)} is not a model this server offers: give a Hugging Face id like org/name, ` +
      "or the name of a model folder under the server's model roots (INTERLACE_MODEL_ROOTS)",
  );
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** The layer count a Hugging Face config.json declares, if it does. */
function layersOf(config: unknown): number | undefined {
  if (config === null || typeof config !== "object") return undefined;
  const record = config as Record<string, unknown>;
  const value = record.num_hidden_layers ?? record.n_layer;
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** The real model folder `candidate` names inside one of `roots` (symlinks resolved), or undefined. */
async function modelFolderUnder(roots: readonly string[], candidate: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(candidate);
    if (!(await stat(join(real, "config.json"))).isFile()) return undefined;
  } catch {
    return undefined;
  }
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => undefined);
    if (realRoot !== undefined && inside(realRoot, real)) return real;
  }
  return undefined;
}

/**
 * Checks the model of a run requested over the API without network I/O. A folder (absolute, or a name relative to
 * a root) must hold a config.json and lie under a root; otherwise a well-formed hub id is accepted as is (the worker
 * downloads it and checks the layer when the run starts). Anything else gets one "not a model" message.
 */
export async function checkRequestedModel(spec: string, roots: readonly string[]): Promise<RequestedModel> {
  if (spec.length > MAX_MODEL_LENGTH) throw modelNotFound(spec);
  const candidates = isAbsolute(spec) ? [spec] : roots.map((root) => resolve(root, spec));
  for (const candidate of candidates) {
    const dir = await modelFolderUnder(roots, candidate);
    if (dir === undefined) continue;
    return { kind: "local", dir, layers: layersOf(await readJson(join(dir, "config.json"))) };
  }
  if (!isAbsolute(spec) && isHubId(spec)) return { kind: "hub", id: spec };
  throw modelNotFound(spec);
}
