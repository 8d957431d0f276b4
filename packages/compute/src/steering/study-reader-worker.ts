/**
 * Worker side of StudyReader: keeps recently used studies loaded (LRU) and answers steer / analyze requests one at a
 * time, in arrival order (the compute is synchronous anyway; in order, no study is evicted while a request uses it).
 */

import { openStudyArtifacts, type StudyArtifacts } from "../study/artifacts.js";
import { serveWorker } from "../workers/serve-worker.js";
import { analyzeText } from "./analyze.js";
import { LruCache } from "./artifact-cache.js";
import { SteerInputError } from "./features.js";
import { steerGenerate } from "./steer.js";
import type { ReaderReply, ReaderRequest, StudyReaderData } from "./study-reader.js";

await serveWorker<StudyReaderData>(({ cacheSize }, port, backend) => {
  const cache = new LruCache<StudyArtifacts>(cacheSize, (artifacts) => artifacts.dispose());
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (request: ReaderRequest) => {
    queue = queue.then(() => answer(request));
  });
  async function answer(request: ReaderRequest): Promise<void> {
    const started = Date.now();
    try {
      const cold = !cache.has(request.workDir);
      const artifacts = await cache.get(request.workDir, () =>
        openStudyArtifacts({ workDir: request.workDir, modelDir: request.modelDir, backend }),
      );
      const loadMs = Date.now() - started;
      const { model, sae, hook, nfm } = artifacts;
      const result =
        request.kind === "steer"
          ? steerGenerate(model, sae, hook, request.prompt, request.features, {
              maxNewTokens: request.maxNewTokens,
              seed: request.seed,
              deadline: request.deadline,
              ...(request.names ? { names: request.names } : {}),
            })
          : analyzeText({ model, sae, hook, nfm }, request.text, request.options);
      port.postMessage({ id: request.id, result, hook, cold, loadMs, totalMs: Date.now() - started } as ReaderReply);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({
        id: request.id,
        error: { name: e.name, message: e.message, argument: e instanceof SteerInputError ? e.argument : null },
      } satisfies ReaderReply);
    }
  }
});
