#!/usr/bin/env node
// The `interlace` command: runs the TypeScript sources through tsx's loader with the repo's compiler settings
// (the server's type-graphql classes need experimental decorators). On Linux it first re-runs itself with the
// allocator setting of @interlace/compute/allocator-env, which glibc reads only when a process starts.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { allocatorEnv } from "@interlace/compute/allocator-env";
import { register } from "tsx/esm/api";

const env = allocatorEnv(process.env, process.platform);
if (env) {
  // The child is the command. It runs in its own process group so that Ctrl-C reaches it once, through this
  // process; it dies with this process (the IPC channel closes), so killing this process kills the command.
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...env, INTERLACE_LAUNCHER_PID: String(process.pid) },
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    detached: true,
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.once("error", (error) => {
    process.stderr.write(`interlace: could not start: ${error.message}\n`);
    process.exit(1);
  });
  child.once("exit", (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)));
} else {
  if (process.channel && process.env.INTERLACE_LAUNCHER_PID === String(process.ppid)) {
    // Started by the launcher above: end with it, as abruptly as it ended.
    delete process.env.INTERLACE_LAUNCHER_PID;
    process.channel.unref();
    process.once("disconnect", () => process.kill(process.pid, "SIGKILL"));
  }
  register({ tsconfig: fileURLToPath(new URL("../../../tsconfig.base.json", import.meta.url)) });
  await import("../src/main.ts");
}
