import { extractJson } from './extract-json.ts';
import type { ParsedDistribution, ParseResult } from './parse-result.ts';

/** How far from 1 a verbalized distribution may sum before it is rejected as incoherent. */
export const verbalizedSumTolerance = 0.05;

/**
 * Reads a verbalized distribution: a JSON object mapping each action (by letter or by label,
 * any case) to a probability, possibly wrapped in prose, fences or a `{"probabilities": ...}`
 * object, or an array with one probability per action. Percentages summing to 100 are accepted.
 * Unknown actions, negative or non-numeric values, and sums far from 1 are rejected.
 */
export function parseVerbalized(
  text: string,
  letters: readonly string[],
  labels: readonly string[],
): ParseResult<ParsedDistribution> {
  const json = extractJson(text);
  if (!json.ok) return json;
  let value = json.value;
  if (isRecord(value)) {
    const wrapper = Object.keys(value).find((key) =>
      /^(probs|probabilities|distribution|actions)$/i.test(key),
    );
    if (wrapper !== undefined && Object.keys(value).length === 1) value = value[wrapper];
  }
  const probs = letters.map(() => 0);
  if (Array.isArray(value)) {
    if (value.length !== letters.length) {
      return { ok: false, reason: `expected ${letters.length} probabilities, got ${value.length}` };
    }
    for (const [index, entry] of value.entries()) {
      const number = toProbability(entry);
      if (number === undefined) return { ok: false, reason: `entry ${index} is not a probability` };
      probs[index] = number;
    }
  } else if (isRecord(value)) {
    const lookup = new Map<string, number>();
    letters.forEach((letter, index) => lookup.set(letter.toLowerCase(), index));
    labels.forEach((label, index) => lookup.set(label.toLowerCase(), index));
    for (const [key, entry] of Object.entries(value)) {
      const normalisedKey = key.trim().toLowerCase().replace(/[.)]$/, '');
      const index = lookup.get(normalisedKey);
      if (index === undefined) return { ok: false, reason: `unknown action "${key}"` };
      const number = toProbability(entry);
      if (number === undefined) return { ok: false, reason: `"${key}" is not a probability` };
      probs[index] = (probs[index] ?? 0) + number;
    }
  } else {
    return { ok: false, reason: 'the JSON is neither an object nor an array of probabilities' };
  }
  const sum = probs.reduce((total, p) => total + p, 0);
  const scale = Math.abs(sum - 100) <= 100 * verbalizedSumTolerance && sum > 1.5 ? 100 : 1;
  if (Math.abs(sum / scale - 1) > verbalizedSumTolerance) {
    return { ok: false, reason: `the probabilities sum to ${round(sum)}, not 1` };
  }
  return { ok: true, value: { probs: probs.map((p) => p / scale) } };
}

function toProbability(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value.replace(/%$/, '')) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
