/**
 * Writes a model directory atomically: everything goes into a temporary sibling folder that is renamed into place
 * only when complete, so an interrupted run never leaves a half-written model where a loader would find it.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Fails early when `out` holds something (other than files `kept` accepts) and `overwrite` is not set. */
export function checkOutput(out: string, overwrite: boolean, kept: (name: string) => boolean = () => false): void {
  if (existsSync(out) && readdirSync(out).some((name) => !kept(name)) && !overwrite) {
    throw new Error(`${out} already exists and is not empty; choose another --out or pass --overwrite to replace it.`);
  }
}

/** A fresh temporary folder beside `out`. */
export function stagingDir(out: string): string {
  const target = resolve(out);
  const dir = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(join(dir, name), `${JSON.stringify(value, null, 1)}\n`);
}

/** Moves the finished staging folder to `out`, replacing what was there. */
export function publish(staging: string, out: string): void {
  const target = resolve(out);
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    renameSync(staging, target);
    return;
  }
  const old = `${staging}.old`;
  renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
}

export function discard(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}
