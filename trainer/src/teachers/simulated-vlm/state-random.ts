import { createHash } from 'node:crypto';

/**
 * A stream of uniform draws in [0, 1) fixed by `seed` and `key` (a state's description): the
 * same state under the same seed always gets the same draws, which makes a simulated teacher's
 * mistakes repeat per state. SplitMix32 over the key's SHA-256.
 *
 * @example
 * const draw = stateRandom(3, 'grid|agent 1,2,0'); draw() // same value every time
 */
export function stateRandom(seed: number, key: string): () => number {
  const digest = createHash('sha256').update(`${seed}\u0000${key}`).digest();
  let state = digest.readUInt32LE(0);
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
}
