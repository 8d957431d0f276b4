/**
 * The engine an app runs: the one INTERLACE_BACKEND names, or for `auto` the fastest installed engine, measured once
 * and cached in the app's home (engine.json) until the machine's description changes or `interlace doctor --measure`
 * measures again.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BackendPreference, ENGINES, type Engine } from "./backend-preference.js";
import { type EngineMeasurement, machineDescription, measureEngines } from "./engine-measure.js";

export const ENGINE_CACHE_FILE = "engine.json";

export interface EngineChoice {
  engine: Engine;
  /** Why this engine: named by the preference, read from the cached measurement, or measured now. */
  source: "preference" | "cached" | "measured";
  /** The measurement behind an `auto` choice, or the cached one when the preference names the engine. */
  measurement: EngineMeasurement | null;
  /** Where the measurement is cached. */
  cachePath: string;
}

function readCache(path: string): EngineMeasurement | null {
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<EngineMeasurement>;
    const valid =
      typeof parsed.engine === "string" &&
      (ENGINES as readonly string[]).includes(parsed.engine) &&
      typeof parsed.machine === "string" &&
      typeof parsed.gflops === "object";
    return valid ? (parsed as EngineMeasurement) : null;
  } catch {
    return null;
  }
}

function writeCache(path: string, measurement: EngineMeasurement): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(measurement, null, 2)}\n`);
  renameSync(temp, path);
}

/**
 * Resolves the preference to an engine for an app whose local state lives in `home`. `auto` reuses the cached
 * measurement when it was taken on this machine, else measures (a second or two) and caches it; `remeasure` always
 * measures and rewrites the cache.
 */
export async function chooseEngine(
  prefer: BackendPreference,
  options: { home: string; remeasure?: boolean },
): Promise<EngineChoice> {
  const cachePath = join(options.home, ENGINE_CACHE_FILE);
  const cached = readCache(cachePath);
  const current = cached !== null && cached.machine === machineDescription() ? cached : null;
  if (!options.remeasure && prefer !== "auto") {
    return { engine: prefer, source: "preference", measurement: current, cachePath };
  }
  if (!options.remeasure && current !== null) {
    return { engine: current.engine, source: "cached", measurement: current, cachePath };
  }
  const measurement = await measureEngines();
  mkdirSync(options.home, { recursive: true });
  writeCache(cachePath, measurement);
  return {
    engine: prefer === "auto" ? measurement.engine : prefer,
    source: prefer === "auto" ? "measured" : "preference",
    measurement,
    cachePath,
  };
}
