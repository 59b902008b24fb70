/**
 * @module
 * Gaussian noise from the run's own generator, so exploration is seeded like everything else.
 */
import type { NumpyGenerator } from './numpy-generator.ts';

/** `n` draws of N(0, 1) by Box–Muller. */
export function standardNormal(random: NumpyGenerator, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - random.random();
    const u2 = random.random();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}
