/** The demo design shipped with the product (tests use it; the dashboard offers it as an example). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDesign, type StimulusDesign } from "./design.js";

export const DEMO_DESIGN_PATH = join(import.meta.dirname, "demo-design.json");

export function demoDesign(): StimulusDesign {
  return parseDesign(JSON.parse(readFileSync(DEMO_DESIGN_PATH, "utf8")));
}
