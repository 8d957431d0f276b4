/** The architectures Interlace ships, registered once. */
import { jumpReluArchitecture } from "./jumprelu.js";
import { ArchitectureRegistry } from "./registry.js";
import { standardArchitecture } from "./standard.js";
import { topkArchitecture } from "./topk.js";

export const saeArchitectures = new ArchitectureRegistry();
saeArchitectures.register(standardArchitecture);
saeArchitectures.register(topkArchitecture);
saeArchitectures.register(jumpReluArchitecture);
