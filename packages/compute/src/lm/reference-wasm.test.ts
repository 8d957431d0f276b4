import { engineReferenceSuite } from "./engine-reference-suite.js";

await engineReferenceSuite("wasm");
