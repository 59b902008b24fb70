export interface ShapeOptions {
  /** p ∝ p^(1/T): above 1 flattens, below 1 sharpens. */
  temperature: number;
  /** Every entry ends at least this large; the rest of the mass keeps its proportions. */
  floor: number;
}

/**
 * Turns non-negative weights into the distribution the trainer receives: renormalised,
 * temperature applied, then mixed with the uniform floor so that every action keeps
 * `floor` mass and the sum stays exactly 1 up to rounding.
 * Returns undefined when the weights carry no mass (nothing to normalise).
 */
export function shapeDistribution(weights: number[], options: ShapeOptions): number[] | undefined {
  const n = weights.length;
  const clean = weights.map((weight) => (Number.isFinite(weight) && weight > 0 ? weight : 0));
  const tempered =
    options.temperature === 1 ? clean : temper(clean, 1 / options.temperature);
  const total = tempered.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0) || !Number.isFinite(total)) return undefined;
  const floor = Math.min(options.floor, 1 / n);
  const scale = 1 - n * floor;
  return tempered.map((weight) => floor + (scale * weight) / total);
}

/** Raises to a power in log space so tiny probabilities do not underflow at low temperature. */
function temper(weights: number[], power: number): number[] {
  const logs = weights.map((weight) => (weight > 0 ? Math.log(weight) * power : -Infinity));
  const max = Math.max(...logs);
  return logs.map((log) => (log === -Infinity ? 0 : Math.exp(log - max)));
}

/** Shannon entropy in nats. */
export function entropyOf(probs: number[]): number {
  return -probs.reduce((sum, p) => (p > 0 ? sum + p * Math.log(p) : sum), 0);
}

/** Index of the largest entry (the first on ties). */
export function argmaxOf(values: number[]): number {
  let best = 0;
  values.forEach((value, index) => {
    if (value > (values[best] ?? -Infinity)) best = index;
  });
  return best;
}
