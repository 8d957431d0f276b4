// Signed strengths as colours: blue below zero, white at zero, orange above, on a symmetric scale.

const NEGATIVE = [29, 78, 216] as const;
const POSITIVE = [194, 65, 12] as const;

export function strengthColour(value: number, max: number): string {
  const t = max > 0 && Number.isFinite(value) ? Math.max(-1, Math.min(1, value / max)) : 0;
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const mix = (i: 0 | 1 | 2) => Math.round(255 + (end[i] - 255) * Math.abs(t));
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}
