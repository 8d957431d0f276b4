/** A shard that is missing, truncated or fails its checksum; the message names the shard and the fix. */
export class CorruptShardError extends Error {
  override name = "CorruptShardError";
  constructor(
    readonly dir: string,
    readonly shard: string,
    reason: string,
  ) {
    super(
      `Activation store ${dir}: shard ${shard} is ${reason}. ` +
        "The store cannot be trusted: harvest again into this folder with --overwrite (or into a new --out).",
    );
  }
}
