import assert from "node:assert/strict";
import { test } from "node:test";
import {
  activationLevel,
  contrastRatio,
  PARTNER_FULL,
  type Rgb,
  relativeLuminance,
  shadeRgb,
  tokenShade,
} from "./token-shade";

const parse = (css: string): Rgb => css.match(/\d+/g)!.map(Number) as unknown as Rgb;

test("contrast ratio matches the WCAG reference values", () => {
  assert.equal(contrastRatio([0, 0, 0], [255, 255, 255]), 21);
  assert.equal(contrastRatio([255, 255, 255], [255, 255, 255]), 1);
  assert.ok(Math.abs(contrastRatio([119, 119, 119], [255, 255, 255]) - 4.48) < 0.01);
});

test("an inactive token is white with black text, the maximum is the full shade", () => {
  assert.deepEqual(tokenShade(0, 5), { backgroundColor: "rgb(255, 255, 255)", color: "rgb(0, 0, 0)" });
  assert.equal(tokenShade(5, 5).backgroundColor, "rgb(194, 65, 12)");
  assert.equal(tokenShade(50, 5).backgroundColor, "rgb(194, 65, 12)");
});

test("bad inputs shade nothing instead of producing NaN colours", () => {
  assert.equal(activationLevel(Number.NaN, 3), 0);
  assert.equal(activationLevel(2, 0), 0);
  assert.equal(activationLevel(-1, 3), 0);
  assert.equal(tokenShade(1, Number.POSITIVE_INFINITY).backgroundColor, "rgb(255, 255, 255)");
});

test("shades darken monotonically and every shade keeps 4.5:1 text contrast", () => {
  let previous = Number.POSITIVE_INFINITY;
  for (let step = 0; step <= 100; step += 1) {
    const shade = tokenShade(step, 100);
    const background = parse(shade.backgroundColor);
    const luminance = relativeLuminance(background);
    assert.ok(luminance <= previous, `step ${step} is lighter than step ${step - 1}`);
    previous = luminance;
    const ratio = contrastRatio(background, parse(shade.color));
    assert.ok(ratio >= 4.5, `step ${step}: contrast ${ratio.toFixed(2)} < 4.5`);
  }
  assert.deepEqual(shadeRgb(0.5), [225, 160, 134]);
});

test("the partner's blue keeps AA contrast at every level", () => {
  for (let step = 0; step <= 20; step++) {
    const shade = tokenShade(step / 20, 1, PARTNER_FULL);
    assert.ok(contrastRatio(parse(shade.backgroundColor), parse(shade.color)) >= 4.5, shade.backgroundColor);
  }
});
