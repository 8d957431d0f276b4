/** The explicit architecture registry: keyed by SAELens `architecture`, duplicates rejected. */
import type { SaeArchitecture, SaeTraining } from "./architecture.js";

export class ArchitectureRegistry {
  private readonly byName = new Map<string, SaeArchitecture>();

  register(arch: SaeArchitecture): void {
    if (this.byName.has(arch.architecture)) {
      throw new Error(
        `SAE architecture "${arch.architecture}" is already registered; give the new architecture its own name.`,
      );
    }
    this.byName.set(arch.architecture, arch);
  }

  get(name: string): SaeArchitecture {
    const arch = this.byName.get(name);
    if (!arch) {
      throw new Error(`unknown SAE architecture "${name}"; supported: ${[...this.byName.keys()].join(", ")}.`);
    }
    return arch;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The architectures that can be trained (the others are inference-only), optionally only those whose training
   *  parts pass `which`. */
  trainable(which: (training: SaeTraining) => boolean = () => true): string[] {
    return [...this.byName.values()]
      .filter((arch) => arch.training && which(arch.training))
      .map((arch) => arch.architecture);
  }
}
