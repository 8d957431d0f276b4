/** The benchmarks' backend preference: INTERLACE_BACKEND as the apps read it (unset: auto), passed down explicitly. */
import { BACKEND_PREFERENCES, type BackendPreference } from "../src/backend-preference.js";

export function benchBackend(): BackendPreference {
  const raw = process.env["INTERLACE_BACKEND"] || "auto";
  const match = BACKEND_PREFERENCES.find((preference) => preference === raw);
  if (match === undefined) {
    throw new Error(
      `INTERLACE_BACKEND=${JSON.stringify(raw)} is not a backend preference: set it to one of ${BACKEND_PREFERENCES.join(", ")}, or leave it unset.`,
    );
  }
  return match;
}
