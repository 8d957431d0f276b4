import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ALLOCATOR_TUNABLE, allocatorEnv, runsOnGlibc } from "@interlace/compute/allocator-env";
import { fixturePath } from "@interlace/compute/testing";

const bin = fileURLToPath(new URL("../bin/interlace.mjs", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "launcher-test-"));
after(() => rmSync(home, { recursive: true, force: true }));

test("the allocator setting is added on Linux, after the user's own tunables, and never overrides their threshold", () => {
  assert.deepEqual(allocatorEnv({ A: "1" }, "linux"), { A: "1", GLIBC_TUNABLES: ALLOCATOR_TUNABLE });
  assert.equal(
    allocatorEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2" }, "linux")?.GLIBC_TUNABLES,
    `glibc.malloc.arena_max=2:${ALLOCATOR_TUNABLE}`,
  );
  assert.equal(allocatorEnv({ GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=65536" }, "linux"), null);
  assert.equal(allocatorEnv({}, "darwin"), null);
  assert.equal(allocatorEnv({}, "linux", false), null, "musl and other C libraries do not read GLIBC_TUNABLES");
});

const linux = process.platform === "linux" && runsOnGlibc();
const withoutTunables = () => {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), INTERLACE_HOME: home };
  delete env["GLIBC_TUNABLES"];
  return env;
};

test("a command started through bin/interlace.mjs runs with the allocator setting", { skip: !linux }, async () => {
  const child = spawn(process.execPath, [bin, "doctor"], { env: { ...withoutTunables(), INTERLACE_BACKEND: "wasm" } });
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  const code = await new Promise((done) => child.once("close", done));
  assert.equal(code, 0, out);
  assert.match(out, new RegExp(`allocator: GLIBC_TUNABLES=${ALLOCATOR_TUNABLE}`));
});

/** The pid of `parent`'s only child process, once it has one. */
async function childOf(parent: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const tasks = readFileSync(`/proc/${parent}/task/${parent}/children`, "utf8").trim();
    if (tasks) return Number(tasks.split(/\s+/)[0]);
    await new Promise((wait) => setTimeout(wait, 50));
  }
  throw new Error(`process ${parent} started no child`);
}

const running = (pid: number) =>
  existsSync(`/proc/${pid}`) && !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, "utf8"));

/** Starts a tiny study through the launcher; resolves once it harvests, with the launcher and the command. */
async function startStudy() {
  const launcher = spawn(
    process.execPath,
    [bin, "study", "run", "--preset", "tiny", "--model", join(fixturePath(), "models", "sotu-gpt2-6l"), "--layer", "3"],
    { env: withoutTunables() },
  );
  let out = "";
  launcher.stderr.on("data", (chunk) => {
    out += chunk;
  });
  launcher.stdout.on("data", (chunk) => {
    out += chunk;
  });
  const command = await childOf(launcher.pid!);
  await new Promise<void>((ready) => {
    const check = () => (/harvest/.test(out) ? ready() : setTimeout(check, 50));
    check();
  });
  return { launcher, command };
}

async function endsSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (!running(pid)) return true;
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return false;
}

test("killing the launcher (as a crash would) ends the command with it", { skip: !linux }, async () => {
  const { launcher, command } = await startStudy();
  assert.match(readFileSync(`/proc/${command}/environ`, "utf8"), new RegExp(`GLIBC_TUNABLES=${ALLOCATOR_TUNABLE}`));
  launcher.kill("SIGKILL");
  assert.ok(await endsSoon(command), `the command (pid ${command}) kept running after its launcher was killed`);
});

test("a signal to the launcher reaches the command, and the launcher exits as the command did", {
  skip: !linux,
}, async () => {
  const { launcher, command } = await startStudy();
  const exit = new Promise<number | null>((done) => launcher.once("exit", (code) => done(code)));
  launcher.kill("SIGTERM");
  assert.ok(await endsSoon(command), `the command (pid ${command}) ignored the SIGTERM sent to its launcher`);
  // The study has no SIGTERM handler: it ends by the signal, which the launcher reports as 128 + 15.
  assert.equal(await exit, 143);
});
