import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fixturePath } from "@interlace/compute/testing";
import { loadCliConfig } from "../config.js";
import { runCommandCapturing } from "../testing/run-command.js";
import { statsAnova2Command } from "./stats-anova2.js";

const work = mkdtempSync(join(tmpdir(), "anova2-cli-test-"));
const config = loadCliConfig({ INTERLACE_HOME: join(work, "home") });
after(() => rmSync(work, { recursive: true, force: true }));

const run = (argv: string[]) => runCommandCapturing(statsAnova2Command, argv, config);
const moore = [
  "--csv",
  fixturePath("tables", "moore.csv"),
  "--y",
  "conformity",
  "--a",
  "fcategory",
  "--b",
  "partner_status",
];

function lastJson(out: string) {
  return JSON.parse(out.trim().split("\n").at(-1)!) as Record<
    "a" | "b" | "ab",
    { F: number; p: number; partial_eta2: number }
  >;
}

const near = (x: number, y: number) => Math.abs(x - y) <= 5e-5 * Math.max(1, Math.abs(y));

// car::Anova(lm(conformity ~ fcategory * partner.status, data = Moore, contrasts = contr.sum), type = 2 | 3).
test("stats anova2 prints car::Anova's published Moore tables as its last JSON line", async () => {
  const two = lastJson(await run([...moore, "--json"]));
  assert.deepEqual(Object.keys(two), ["a", "b", "ab"]);
  assert.deepEqual(Object.keys(two.a), ["F", "p", "partial_eta2"]);
  assert.ok(near(two.a.F, 0.277) && near(two.a.p, 0.759564), JSON.stringify(two.a));
  assert.ok(near(two.b.F, 10.1207) && near(two.b.p, 0.002874), JSON.stringify(two.b));
  assert.ok(near(two.ab.F, 4.1846) && near(two.ab.p, 0.022572), JSON.stringify(two.ab));
  const three = lastJson(await run([...moore, "--type", "3", "--json"]));
  assert.ok(near(three.a.F, 0.8589) && near(three.a.p, 0.431492), JSON.stringify(three.a));
  assert.ok(near(three.b.F, 11.425) && near(three.b.p, 0.001657), JSON.stringify(three.b));
  assert.ok(near(three.ab.partial_eta2, 175.4889 / (175.4889 + 817.764)), JSON.stringify(three.ab));
});

test("stats anova2 names the bad flag or column", async () => {
  await assert.rejects(run([...moore, "--type", "4"]), /--type must be 2 or 3/);
  await assert.rejects(
    run([...moore.slice(0, 2), "--y", "nope", "--a", "fcategory", "--b", "partner_status"]),
    /no column "nope"/,
  );
  const bad = join(work, "bad.csv");
  writeFileSync(bad, "y,a,b\n1,x,u\nfoo,x,v\n2,z,u\n3,z,v\n4,z,v\n");
  await assert.rejects(run(["--csv", bad, "--y", "y", "--a", "a", "--b", "b"]), /row 2 of column y is "foo"/);
  await assert.rejects(run(["--csv", join(work, "missing.csv"), "--y", "y", "--a", "a", "--b", "b"]), /cannot read/);
});
