/**
 * `--model` may name a local directory or a Hugging Face id `org/name`. An id is downloaded once into
 * `<home>/models/org--name` (all files into a temporary folder, renamed when complete) and then loaded from there.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { SHARD_INDEX, SINGLE_FILE } from "./loader.js";

const REQUIRED_FILES = ["config.json", "tokenizer.json"] as const;
const OPTIONAL_FILES = ["tokenizer_config.json"] as const;
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** Where the hub is and how to authenticate (the app's configuration). */
export interface HubAccess {
  /** Hub address, e.g. https://huggingface.co. */
  endpoint: string;
  /** Access token for gated or private repositories, sent as a bearer token; undefined sends none. */
  token: string | undefined;
}

export interface ResolveModelOptions extends HubAccess {
  /** Branch, tag or commit (default main). */
  revision?: string;
  /** Told about each file as it starts downloading. */
  onFile?: (file: string) => void;
  /** Stops the download; the partial folder is removed. */
  signal?: AbortSignal;
  /** A download that receives nothing for this long fails (default DOWNLOAD_LIMITS.idleMs). */
  idleTimeoutMs?: number;
  /** A model larger than this in total fails (default DOWNLOAD_LIMITS.maxBytes). */
  maxBytes?: number;
}

/** Bounds of a model download: how long it may stall and how large a model may be. */
export const DOWNLOAD_LIMITS = { idleMs: 60_000, maxBytes: 64 * 1024 ** 3 } as const;

/** Counts a download's bytes against the model's remaining budget and fails it when it stalls or is aborted. */
class DownloadGuard {
  private received = 0;
  constructor(
    private readonly options: ResolveModelOptions,
    private readonly id: string,
  ) {}

  private get maxBytes(): number {
    return this.options.maxBytes ?? DOWNLOAD_LIMITS.maxBytes;
  }

  tooLarge(): Error {
    return new Error(`${this.id} is larger than the download cap of ${this.maxBytes} bytes.`);
  }

  checkDeclared(length: number): void {
    if (Number.isFinite(length) && this.received + length > this.maxBytes) throw this.tooLarge();
  }

  /** A stream stage that counts bytes and fails after `idleTimeoutMs` without any, or once `signal` aborts. */
  stage(controller: AbortController): Transform {
    const idleMs = this.options.idleTimeoutMs ?? DOWNLOAD_LIMITS.idleMs;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => controller.abort(new Error(`the download received nothing for ${idleMs / 1000} s`)),
        idleMs,
      );
    };
    arm();
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.received += chunk.length;
        if (this.received > this.maxBytes) return done(this.tooLarge());
        arm();
        done(null, chunk);
      },
      flush: (done) => {
        clearTimeout(timer);
        done();
      },
      destroy: (error, done) => {
        clearTimeout(timer);
        done(error);
      },
    });
  }
}

export function isHubId(value: string): boolean {
  return HUB_ID.test(value) && !value.includes("..");
}

/** The cache folder of a hub id: `<home>/models/org--name`. */
export function hubCacheDir(id: string, home: string): string {
  return join(home, "models", id.replace("/", "--"));
}

class NotFound extends Error {}

function offlineHelp(id: string, dir: string): string {
  return (
    `To use ${id} without network, place config.json, tokenizer.json, tokenizer_config.json and ` +
    `${SINGLE_FILE} (or ${SHARD_INDEX} with every shard it lists) in ${dir}, or pass --model a local directory.`
  );
}

async function download(url: string, path: string, options: ResolveModelOptions, guard: DownloadGuard): Promise<void> {
  const headers: Record<string, string> = {};
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const stage = guard.stage(controller);
  try {
    const response = await fetch(url, { headers, redirect: "follow", signal });
    if (response.status === 404) throw new NotFound(url);
    if (!response.ok || !response.body) {
      const hint = response.status === 401 || response.status === 403 ? " (gated or private: set HF_TOKEN)" : "";
      throw new Error(`GET ${url} answered ${response.status}${hint}`);
    }
    guard.checkDeclared(Number(response.headers.get("content-length")));
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), stage, createWriteStream(path), {
      signal,
    });
  } catch (error) {
    if (signal.aborted && !(error instanceof NotFound)) throw signal.reason instanceof Error ? signal.reason : error;
    throw error;
  } finally {
    stage.destroy();
  }
}

async function downloadAll(id: string, base: string, temp: string, options: ResolveModelOptions): Promise<void> {
  const guard = new DownloadGuard(options, id);
  const fetchFile = async (file: string) => {
    options.onFile?.(file);
    await download(`${base}/${file}`, join(temp, file), options, guard);
  };
  for (const file of REQUIRED_FILES) {
    try {
      await fetchFile(file);
    } catch (error) {
      if (error instanceof NotFound) throw new Error(`${id} has no ${file} on the hub; is the id right?`);
      throw error;
    }
  }
  for (const file of OPTIONAL_FILES) {
    try {
      await fetchFile(file);
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
    }
  }
  try {
    await fetchFile(SINGLE_FILE);
    return;
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
  }
  try {
    await fetchFile(SHARD_INDEX);
  } catch (error) {
    if (error instanceof NotFound) {
      throw new Error(`${id} has neither ${SINGLE_FILE} nor ${SHARD_INDEX} on the hub (only safetensors are read).`);
    }
    throw error;
  }
  const index = JSON.parse(readFileSync(join(temp, SHARD_INDEX), "utf8")) as { weight_map?: Record<string, string> };
  const shards = [...new Set(Object.values(index.weight_map ?? {}))];
  for (const shard of shards) {
    if (shard.includes("/") || shard.includes(".."))
      throw new Error(`${id}: shard name ${shard} is not a plain file name.`);
    await fetchFile(shard);
  }
}

/**
 * Returns a local model directory for `pathOrId`: the path itself when it exists, else the cache folder of the hub
 * id, downloading it first when it is not there yet.
 */
export async function resolveModel(pathOrId: string, home: string, options: ResolveModelOptions): Promise<string> {
  if (existsSync(pathOrId)) {
    if (!statSync(pathOrId).isDirectory())
      throw new Error(`--model ${pathOrId} is a file; pass the model's directory.`);
    return pathOrId;
  }
  if (!isHubId(pathOrId)) {
    throw new Error(`Model ${pathOrId} is neither an existing directory nor a Hugging Face id like org/name.`);
  }
  const dir = hubCacheDir(pathOrId, home);
  if (existsSync(join(dir, "config.json"))) return dir;
  const endpoint = options.endpoint.replace(/\/+$/, "");
  const base = `${endpoint}/${pathOrId}/resolve/${encodeURIComponent(options.revision ?? "main")}`;
  mkdirSync(join(home, "models"), { recursive: true });
  const temp = `${dir}.partial-${process.pid}-${Date.now()}`;
  mkdirSync(temp);
  try {
    await downloadAll(pathOrId, base, temp, options);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    renameSync(temp, dir);
    return dir;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    throw new Error(
      `Could not download ${pathOrId} from ${endpoint}: ${reason}${cause}. ${offlineHelp(pathOrId, dir)}`,
    );
  }
}
