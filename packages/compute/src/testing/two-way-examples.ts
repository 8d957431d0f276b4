/**
 * A balanced 2×2 example for statistics tests: 5 observations per cell, cells a0b0, a0b1, a1b0, a1b1 with means 5, 8,
 * 6, 14 (interaction contrast 14 − 6 − 8 + 5 = 5).
 */
export const BALANCED_2X2 = {
  y: [4, 6, 5, 7, 3, 8, 9, 7, 10, 6, 5, 7, 6, 4, 8, 15, 12, 14, 13, 16],
  a: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  b: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
} as const;
