/** The floor under every probability: a real model never gives exactly 0, and logs must stay finite. */
export const MIN_PROBABILITY = 1e-9;

function normalize(weights: number[]): number[] {
  const floored = weights.map((w) => Math.max(w, MIN_PROBABILITY));
  const total = floored.reduce((a, b) => a + b, 0);
  return floored.map((w) => w / total);
}

/**
 * A confident teacher: `accuracy` on the planned action, the rest spread unevenly (seeded) over
 * the others, as a real model's runner-up actions are never exactly tied.
 */
export function confidentDistribution(
  count: number,
  planned: number,
  accuracy: number,
  random: () => number,
): number[] {
  if (count === 1) return [1];
  const tail = Array.from({ length: count }, (_, i) => (i === planned ? 0 : 0.5 + random()));
  const tailTotal = tail.reduce((a, b) => a + b, 0);
  return normalize(
    tail.map((w, i) => (i === planned ? accuracy : ((1 - accuracy) * w) / tailTotal)),
  );
}

/** An honest "no idea": near-uniform, with a little seeded unevenness. */
export function unsureDistribution(count: number, random: () => number): number[] {
  return normalize(Array.from({ length: count }, () => 1 + 0.2 * (random() - 0.5)));
}

/** Draws an index from `p^(1/temperature)`; temperature 0 is greedy (first maximum). */
export function sampleIndex(
  probabilities: number[],
  temperature: number,
  random: () => number,
): number {
  if (temperature <= 1e-6) {
    let best = 0;
    probabilities.forEach((p, i) => {
      if (p > probabilities[best]!) best = i;
    });
    return best;
  }
  const weights = probabilities.map((p) => Math.exp(Math.log(p) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}
