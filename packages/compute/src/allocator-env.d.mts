/** Types of allocator-env.mjs (plain JavaScript: the launcher loads it before the TypeScript loader). */
export declare const ALLOCATOR_TUNABLE: string;
export declare function runsOnGlibc(): boolean;
export declare function allocatorEnv(
  env: Record<string, string | undefined>,
  platform: string,
  glibc?: boolean,
): Record<string, string | undefined> | null;
