/** The architectures Interlace ships, registered once. */
import { ArchitectureRegistry } from "./registry.js";
import { standardArchitecture } from "./standard.js";

export const saeArchitectures = new ArchitectureRegistry();
saeArchitectures.register(standardArchitecture);
