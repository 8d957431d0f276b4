/**
 * Where a study's folder is recorded: relative to INTERLACE_HOME when it lies under it, so a server on another
 * machine sharing the same home finds it; absolute otherwise. Rows stored before this rule hold absolute paths,
 * which resolve as they are.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";

/** The value to store for the folder `dir`. */
export function storedStudyDir(home: string, dir: string): string {
  const inside = relative(resolve(home), resolve(dir));
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return resolve(dir);
  return inside.split(sep).join("/");
}

/** The folder a stored value names on this machine. */
export function studyDirOnDisk(home: string, stored: string): string {
  return isAbsolute(stored) ? stored : resolve(home, stored);
}
