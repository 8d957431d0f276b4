import assert from "node:assert/strict";
import { test } from "node:test";
import { cliProgress } from "./cli-progress.js";
import { formatDuration } from "./format.js";
import { ProgressTracker } from "./tracker.js";
import type { ProgressEvent } from "./types.js";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test("rate and ETA count only this run's work, and reports are throttled", () => {
  const c = clock();
  const events: ProgressEvent[] = [];
  const tracker = new ProgressTracker({
    label: "harvest",
    total: 1000,
    unit: "tokens",
    startDone: 200,
    minIntervalMs: 1000,
    now: c.now,
    onProgress: (e) => events.push(e),
  });
  c.advance(2000);
  tracker.update(400);
  c.advance(500);
  tracker.update(450);
  assert.equal(events.length, 1, "the second update came too soon");
  assert.equal(events[0]!.ratePerSecond, 100);
  assert.equal(events[0]!.etaSeconds, 6);
  c.advance(500);
  const last = tracker.finish();
  assert.equal(events.length, 2);
  assert.equal(last.finished, true);
  assert.equal(last.done, 450);
  assert.equal(last.etaSeconds, 0);
});

test("plain output prints a line at most every interval, and always the final one", () => {
  const lines: string[] = [];
  const report = cliProgress({ stream: { write: (t: string) => lines.push(t) }, tty: false, lineIntervalSeconds: 5 });
  const base = { label: "harvest", total: 100, unit: "tokens", ratePerSecond: 10, etaSeconds: 5, finished: false };
  report({ ...base, done: 10, elapsedSeconds: 1 });
  report({ ...base, done: 20, elapsedSeconds: 2 });
  report({ ...base, done: 70, elapsedSeconds: 7 });
  report({ ...base, done: 100, elapsedSeconds: 10, etaSeconds: 0, finished: true });
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^harvest {3}10% {2}10\/100 tokens {2}10 tokens\/s {2}ETA 5s\n$/);
  assert.match(lines[2]!, /100% .*done in 10s/);
});

test("a terminal gets one bar redrawn in place", () => {
  let out = "";
  const report = cliProgress({ stream: { write: (t: string) => (out += t) }, tty: true, width: 10 });
  report({
    label: "h",
    done: 50,
    total: 100,
    unit: "t",
    ratePerSecond: 1,
    etaSeconds: 50,
    elapsedSeconds: 50,
    finished: false,
  });
  assert.ok(out.startsWith("\r\x1b[2K"), "clears the line first");
  assert.ok(out.endsWith("h  [#####-----]   50%  50/100 t  1 t/s  ETA 50s"), JSON.stringify(out));
  assert.ok(!out.includes("\n"));
});

test("durations read naturally", () => {
  assert.equal(formatDuration(42), "42s");
  assert.equal(formatDuration(187), "3m 07s");
  assert.equal(formatDuration(3720), "1h 02m");
});
