import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { authenticate, issueToken, type Sql } from "@interlace/server";

/** Where `interlace start` keeps the local admin token for the dashboard (readable by its owner only). */
export function dashboardTokenFile(home: string): string {
  return join(home, "dashboard-token");
}

/**
 * The admin token `interlace start` offers its dashboard: the one kept in `$INTERLACE_HOME/dashboard-token` while the
 * server still knows it, else a new one written there (mode 600).
 */
export async function localDashboardToken(sql: Sql, home: string): Promise<{ path: string; created: boolean }> {
  const path = dashboardTokenFile(home);
  const kept = (await readFile(path, "utf8").catch(() => "")).trim();
  if (kept !== "") {
    const caller = await authenticate(sql, `Bearer ${kept}`);
    if (!("problem" in caller) && caller.role === "admin") return { path, created: false };
  }
  const { token } = await issueToken(sql, { name: "dashboard (interlace start)", role: "admin" });
  const temporary = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${token}\n`, { mode: 0o600, flag: "wx" });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return { path, created: true };
}
