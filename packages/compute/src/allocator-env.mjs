/**
 * The memory allocator setting every Interlace process runs with. glibc's malloc raises its mmap threshold each
 * time a large block is freed, so after a few large temporary arrays (the forward pass's activations, host copies
 * of tensors) blocks of megabytes come from the main heap, which fragments and is never given back: a study kept
 * ~300 MB of freed memory that way. A fixed threshold keeps large blocks in their own mappings, returned on free.
 * Plain JavaScript: the launcher reads it before the TypeScript loader starts.
 */
export const ALLOCATOR_TUNABLE = "glibc.malloc.mmap_threshold=131072";

/** True when this process runs on glibc (Node's report names its runtime version there; musl and other systems not). */
export function runsOnGlibc() {
  return Boolean(process.report?.getReport().header.glibcVersionRuntime);
}

/**
 * The environment to run this process in when it lacks the setting (on Linux with glibc, which reads GLIBC_TUNABLES at
 * start), else null. Tunables the user set are kept; a threshold they chose is respected.
 */
export function allocatorEnv(env, platform, glibc = runsOnGlibc()) {
  if (platform !== "linux" || !glibc) return null;
  const current = env.GLIBC_TUNABLES ?? "";
  if (current.includes("glibc.malloc.mmap_threshold")) return null;
  return { ...env, GLIBC_TUNABLES: current ? `${current}:${ALLOCATOR_TUNABLE}` : ALLOCATOR_TUNABLE };
}
