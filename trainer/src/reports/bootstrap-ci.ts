import { NumpyGenerator } from '../random/numpy-generator.ts';

/**
 * A 95% percentile-bootstrap interval for `statistic` over paired samples: each replicate
 * resamples the row indices with replacement (rows are seeds, so matched seeds stay matched).
 * Seeded, so a report reproduces exactly.
 *
 * @example
 * bootstrapCi(4, (rows) => mean(rows.map((i) => ppo[i]!)) / mean(rows.map((i) => lvlm2p[i]!)))
 */
export function bootstrapCi(
  rows: number,
  statistic: (indices: readonly number[]) => number,
  options: { replicates?: number; seed?: number; level?: number } = {},
): { estimate: number; low: number; high: number } {
  const all = Array.from({ length: rows }, (_, i) => i);
  const estimate = statistic(all);
  if (rows < 2) return { estimate, low: Number.NaN, high: Number.NaN };
  const random = new NumpyGenerator(options.seed ?? 0);
  const replicates = options.replicates ?? 2000;
  const values: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const sample = all.map(() => Math.floor(random.random() * rows));
    const value = statistic(sample);
    if (Number.isFinite(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  const tail = (1 - (options.level ?? 0.95)) / 2;
  const at = (q: number) =>
    values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))]!;
  return { estimate, low: at(tail), high: at(1 - tail) };
}

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
