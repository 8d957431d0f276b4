// Colours a token by its activation: white at zero, a strong orange at the feature's maximum, with text that keeps
// WCAG AA contrast (4.5:1) on every shade.

export type Rgb = readonly [number, number, number];

const ZERO: Rgb = [255, 255, 255];
const FULL: Rgb = [194, 65, 12];
/** The second feature of a pair: a strong blue. */
export const PARTNER_FULL: Rgb = [29, 78, 216];
const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

export interface TokenShade {
  backgroundColor: string;
  color: string;
}

function channelLuminance(channel: number): number {
  const c = channel / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * channelLuminance(r) + 0.7152 * channelLuminance(g) + 0.0722 * channelLuminance(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The activation as a fraction of `max`, clamped to [0, 1]; 0 when either is not a positive finite number. */
export function activationLevel(value: number, max: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(max) || max <= 0 || value <= 0) return 0;
  return Math.min(1, value / max);
}

export function shadeRgb(level: number, full: Rgb = FULL): Rgb {
  const t = Math.min(1, Math.max(0, level));
  return [0, 1, 2].map((i) => Math.round(ZERO[i]! + (full[i]! - ZERO[i]!) * t)) as unknown as Rgb;
}

const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;

export function tokenShade(value: number, max: number, full: Rgb = FULL): TokenShade {
  const background = shadeRgb(activationLevel(value, max), full);
  const text = contrastRatio(background, BLACK) >= contrastRatio(background, WHITE) ? BLACK : WHITE;
  return { backgroundColor: css(background), color: css(text) };
}
