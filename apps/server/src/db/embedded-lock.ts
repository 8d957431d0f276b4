import { chmod, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * What `$INTERLACE_HOME/pglite.json` holds while a process serves the embedded database: its port, its pid and the
 * random password of this serving (the file is readable only by its owner).
 */
export interface EmbeddedServerInfo {
  port: number;
  pid: number;
  password: string;
}

export const serverInfoFile = (home: string) => join(home, "pglite.json");
export const lockFile = (home: string) => join(home, "pglite.lock");

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function readServerInfo(home: string): Promise<EmbeddedServerInfo | undefined> {
  let text: string;
  try {
    text = await readFile(serverInfoFile(home), "utf8");
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<EmbeddedServerInfo>;
    if (Number.isInteger(value.port) && Number.isInteger(value.pid) && typeof value.password === "string") {
      return { port: value.port as number, pid: value.pid as number, password: value.password };
    }
  } catch {
    // A torn or foreign file is treated like no file: the caller takes over.
  }
  return undefined;
}

/** Writes pglite.json readable and writable by its owner only (mode 600), atomically. */
export async function writeServerInfo(home: string, info: EmbeddedServerInfo): Promise<void> {
  const target = serverInfoFile(home);
  const temporary = `${target}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  await writeFile(temporary, `${JSON.stringify(info)}\n`, { mode: 0o600, flag: "wx" });
  await chmod(temporary, 0o600);
  await rename(temporary, target);
}

/** Removes pglite.json only when it still describes this server (a successor may have replaced it). */
export async function removeServerInfo(home: string, info: EmbeddedServerInfo): Promise<void> {
  const current = await readServerInfo(home);
  if (current && current.pid === info.pid && current.port === info.port)
    await rm(serverInfoFile(home), { force: true });
}

/**
 * Takes the exclusive right to open `$INTERLACE_HOME/pgdata`: creates pglite.lock holding our pid.
 * Returns false when a live process holds it (it is starting or serving); a lock left by a dead process is removed.
 */
export async function tryTakeDataDirectory(home: string): Promise<boolean> {
  try {
    await writeFile(lockFile(home), `${process.pid}\n`, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const holder = Number.parseInt(await readFile(lockFile(home), "utf8").catch(() => ""), 10);
  if (Number.isInteger(holder) && isProcessAlive(holder)) return false;
  await rm(lockFile(home), { force: true });
  return tryTakeDataDirectory(home);
}

export async function releaseDataDirectory(home: string): Promise<void> {
  await rm(lockFile(home), { force: true });
}
