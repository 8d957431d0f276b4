/** Test support shared by the packages' tests and benchmarks: fixtures and small deterministic stand-ins. */

export { loadFixturePair } from "./fixture-pair.js";
export { fixturePath, fixturesDir } from "./fixtures.js";
export { charTokenizer, formulaActivation, formulaModel } from "./formula-model.js";
export { READABLE_STUDY_MODEL, writeReadableStudy } from "./readable-study.js";
export { type SampleReportOptions, sampleReport } from "./sample-report.js";
export { randomFixtureNfm, writeFixtureStimulusStudy } from "./stimulus-study.js";
export { BALANCED_2X2 } from "./two-way-examples.js";
