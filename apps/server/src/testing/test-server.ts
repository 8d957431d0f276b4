import { tmpdir } from "node:os";
import { StudyReader } from "@interlace/compute/steering";
import { type Config, loadConfig } from "../config.js";
import type { Sql } from "../db/sql.js";
import type { Role } from "../features/access/role.js";
import { issueToken } from "../features/access/token.service.js";
import type { SteeringDeps } from "../features/steering/steering.service.js";
import { type Context, createContext } from "../graphql/context.js";

/** The server configuration of an empty environment (as a fresh install has it), with `overrides`. */
export function testServerConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ INTERLACE_HOME: tmpdir() }, tmpdir()), ...overrides };
}

/** A new token of `role` for tests that send mutations. */
export async function testToken(sql: Sql, role: Role = "analyst"): Promise<string> {
  return (await issueToken(sql, { name: `test ${role}`, role })).token;
}

/** Steering dependencies of a configuration (the reader starts its worker thread only when first used). */
export function testSteeringDeps(config: Config = testServerConfig()): SteeringDeps {
  const reader = new StudyReader({
    backend: config.backend,
    cacheSize: config.studyCacheSize,
    timeoutMs: config.steerTimeoutMs,
  });
  return { reader, home: config.home, hub: config.hub };
}

/**
 * A request context for running GraphQL in-process in tests and benchmarks: a caller without a token (reads only, or
 * the given problem as the reason), the test configuration's limits and steering dependencies.
 */
export function testContext(sql: Sql, requestId: string, problem = "reads need no token"): Context {
  return createContext(sql, {
    requestId,
    caller: { problem },
    client: "test",
    runLimits: testServerConfig(),
    steering: testSteeringDeps(),
  });
}
