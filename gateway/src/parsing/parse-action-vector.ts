import { extractJson } from './extract-json.ts';
import type { ParseResult } from './parse-result.ts';

export interface ParsedVector {
  vector: number[];
  /** Components that were outside the bounds and were clipped. */
  clipped: number;
}

/**
 * Reads a continuous action: `{"action": [..]}`, a bare array, or an object keyed by the
 * component labels. Values are clipped to [low, high]; non-numbers and wrong lengths are rejected.
 */
export function parseActionVector(
  text: string,
  labels: readonly string[],
  low: readonly number[],
  high: readonly number[],
): ParseResult<ParsedVector> {
  const json = extractJson(text);
  if (!json.ok) return json;
  let raw: unknown[] | undefined;
  const value = json.value;
  if (Array.isArray(value)) raw = value;
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const nested = Object.entries(record).find(
      ([key, entry]) => /^(action|vector|actions)$/i.test(key) && Array.isArray(entry),
    );
    if (nested) raw = nested[1] as unknown[];
    else {
      const byLabel = new Map(Object.entries(record).map(([key, entry]) => [key.toLowerCase(), entry]));
      if (labels.every((label) => byLabel.has(label.toLowerCase()))) {
        raw = labels.map((label) => byLabel.get(label.toLowerCase()));
      }
    }
  }
  if (!raw) return { ok: false, reason: `expected {"action": [${labels.join(', ')}]}` };
  if (raw.length !== labels.length) {
    return { ok: false, reason: `expected ${labels.length} components, got ${raw.length}` };
  }
  const vector: number[] = [];
  let clipped = 0;
  for (const [index, entry] of raw.entries()) {
    const number = typeof entry === 'string' ? Number(entry) : entry;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      return { ok: false, reason: `component "${labels[index]}" is not a finite number` };
    }
    const bounded = Math.min(high[index] ?? number, Math.max(low[index] ?? number, number));
    if (bounded !== number) clipped += 1;
    vector.push(bounded);
  }
  return { ok: true, value: { vector, clipped } };
}
