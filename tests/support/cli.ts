import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { allocatorEnv } from "@interlace/compute/allocator-env";
import { fixturePath } from "@interlace/compute/testing";

export const repoRoot = resolve(import.meta.dirname, "..", "..");
const bin = join(repoRoot, "apps", "cli", "bin", "interlace.mjs");

/** The fixtures folder (the repository's tests/fixtures, or INTERLACE_FIXTURES). */
export function fixtures(): string {
  return fixturePath();
}

/**
 * The environment a test starts `interlace` in: the caller's, with the allocator setting already there, as the
 * server gives its worker processes. The launcher then runs the command itself instead of a child, so the process a
 * test holds (its pid, the signals it sends, a SIGKILL) is the command's.
 */
function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const merged = { ...process.env, DATABASE_URL: "", ...env };
  return allocatorEnv(merged, process.platform) ?? merged;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `interlace …` as a user would, in its own environment; with `killWhen`, kills it (SIGKILL, as a crash
 *  would) once its output matches. */
export function runCli(args: string[], env: Record<string, string>, killWhen?: RegExp): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: cliEnv(env),
    });
    let stdout = "";
    let stderr = "";
    const check = () => {
      if (killWhen?.test(stdout + stderr)) child.kill("SIGKILL");
    };
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      check();
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      check();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** Starts a long-running `interlace …` and resolves once a stdout line matches `ready`. */
export function startCli(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 300_000,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: cliEnv(env),
  });
  let output = "";
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`interlace ${args.join(" ")} was not ready within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        done({ child, output: () => output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`interlace ${args.join(" ")} exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** Resolves when the child has exited; returns its exit code. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once("exit", (code) => done(code)));
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Arguments of the smallest study that still exercises every stage (a few thousand tokens, short training). */
export function tinyStudyArgs(name: string): string[] {
  return [
    "study",
    "run",
    "--model",
    join(fixtures(), "models", "sotu-gpt2-6l"),
    "--layer",
    "3",
    "--preset",
    "tiny",
    "--tokens",
    "5000",
    "--sae-steps",
    "120",
    "--nfm-steps",
    "80",
    "--residual-sae-steps",
    "80",
    "--joint-steps",
    "30",
    "--workers",
    "2",
    "--name",
    name,
  ];
}
