import assert from "node:assert/strict";
import { test } from "node:test";
import { storedStudyDir, studyDirOnDisk } from "./study-dir.js";

test("a study folder under the home is stored relative to it and resolves against another machine's home", () => {
  assert.equal(storedStudyDir("/srv/home", "/srv/home/studies/a-1"), "studies/a-1");
  assert.equal(studyDirOnDisk("/mnt/shared", "studies/a-1"), "/mnt/shared/studies/a-1");
});

test("folders outside the home, and old absolute rows, stay absolute", () => {
  assert.equal(storedStudyDir("/srv/home", "/data/studies/a"), "/data/studies/a");
  assert.equal(storedStudyDir("/srv/home", "/srv/home-other/a"), "/srv/home-other/a");
  assert.equal(storedStudyDir("/srv/home", "/srv/home"), "/srv/home");
  assert.equal(studyDirOnDisk("/mnt/shared", "/srv/home/studies/a-1"), "/srv/home/studies/a-1");
});
