/** The statistics every bench suite reports with: medians of rounds, and medians of paired rounds. */

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Median over rounds of the per-round difference (or ratio) between two variants. */
export const paired = (a: readonly number[], b: readonly number[], op: (x: number, y: number) => number): number => median(a.map((x, round) => op(x, b[round]!)));
export const minus = (x: number, y: number): number => x - y;
export const over = (x: number, y: number): number => x / y;
