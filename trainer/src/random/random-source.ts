/**
 * The draws MiniGrid's layout generators and stochastic dynamics make on `env.np_random`.
 * Implemented by {@link NumpyGenerator} for seed-exact layouts, and by scripted sources
 * in tests that replay recorded calls.
 */
export interface RandomSource {
  /** Uniform integer in [low, high); draws nothing when `high - low === 1` (numpy does the same). */
  integers(low: number, high: number): number;
  /** In-place Fisher–Yates shuffle with numpy's draw order. */
  shuffle<T>(items: T[]): void;
  /** `items[integers(0, items.length)]`. */
  choice<T>(items: readonly T[]): T;
}
