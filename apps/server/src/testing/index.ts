// Test support other packages' tests use (cross-package browser and CLI tests).
export { HOSTILE_TOKENS, sampleStudy } from "./sample-study.js";
