import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { extractJson } from '@teacher-gateway/gateway/internal/parsing/extract-json';
import { parseActionVector } from '@teacher-gateway/gateway/internal/parsing/parse-action-vector';
import { parseChoiceLogprobs } from '@teacher-gateway/gateway/internal/parsing/parse-choice-logprobs';
import { parseChoiceVotes } from '@teacher-gateway/gateway/internal/parsing/parse-choice-votes';
import { parsePackedLogprobs } from '@teacher-gateway/gateway/internal/parsing/parse-packed-logprobs';
import type { ParseResult } from '@teacher-gateway/gateway/internal/parsing/parse-result';
import { parseVerbalized } from '@teacher-gateway/gateway/internal/parsing/parse-verbalized';
import { readChoiceLetter } from '@teacher-gateway/gateway/internal/parsing/read-choice-letter';
import { shapeDistribution } from '@teacher-gateway/gateway/internal/parsing/shape-distribution';
import { hostileLogprob, hostileText, hostileTokenLogprob } from './hostile-answer.ts';
import { hostileJsonText } from './hostile-json-text.ts';

const seed = Number(process.env.FC_SEED ?? 20261122);
const scale = Number(process.env.FC_RUNS_SCALE ?? 1);
const runs = (count: number) => ({ seed, numRuns: Math.max(1, Math.round(count * scale)) });

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letters = fc.integer({ min: 1, max: 26 }).map((n) => alphabet.slice(0, n).split(''));
const labelsFor = (n: number) => fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: n, maxLength: n });
const anyText = fc.oneof(hostileText, hostileJsonText.filter((text) => text.length < 20_000), fc.string({ unit: 'grapheme', maxLength: 200 }));
const tokens = fc.option(fc.array(hostileTokenLogprob, { maxLength: 12 }), { nil: undefined });

/**
 * What a choice parser promises when it succeeds: raw weights (normalising and the floor are
 * shapeDistribution's), finite, non-negative, with some mass, which the shaping turns into a
 * distribution summing to 1.
 */
function assertDistribution(weights: number[], size: number, label: string): void {
  assert.equal(weights.length, size, `${label}: ${weights.length} entries for ${size} actions`);
  assert.ok(weights.every((w) => Number.isFinite(w) && w >= 0), `${label}: ${JSON.stringify(weights)}`);
  assert.ok(weights.some((w) => w > 0), `${label}: ok without mass`);
  const probs = shapeDistribution(weights, { temperature: 1, floor: 0.001 });
  assert.ok(probs, `${label}: shaping refused ${JSON.stringify(weights)}`);
  assertSumsToOne(probs, label);
}

function assertSumsToOne(probs: number[], label: string): void {
  assert.ok(probs.every((p) => Number.isFinite(p) && p >= 0), `${label}: ${JSON.stringify(probs)}`);
  const total = probs.reduce((sum, p) => sum + p, 0);
  assert.ok(Math.abs(total - 1) < 1e-9, `${label}: sums to ${total}`);
}

function assertResult(result: ParseResult<unknown>): void {
  assert.equal(typeof result.ok, 'boolean');
  if (!result.ok) assert.equal(typeof result.reason, 'string');
}

describe('every parser takes any input without throwing', () => {
  test('extractJson', () => {
    fc.assert(fc.property(anyText, (text) => assertResult(extractJson(text))), runs(400));
  });

  test('readChoiceLetter answers an index into the letters or -1', () => {
    fc.assert(
      fc.property(anyText, letters, (text, set) => {
        const index = readChoiceLetter(text, set);
        assert.ok(Number.isInteger(index) && index >= -1 && index < set.length, `index ${index}`);
      }),
      runs(400),
    );
  });

  test('parseChoiceLogprobs: NaN and infinite logprobs never reach the distribution', () => {
    fc.assert(
      fc.property(tokens, letters, (list, set) => {
        const result = parseChoiceLogprobs(list, set);
        assertResult(result);
        if (result.ok) assertDistribution(result.value.probs, set.length, 'logprobs');
      }),
      runs(400),
    );
  });

  test('parsePackedLogprobs: one result per observation, each a distribution when ok', () => {
    fc.assert(
      fc.property(tokens, letters, fc.integer({ min: 1, max: 8 }), (list, set, count) => {
        const results = parsePackedLogprobs(list, set, count);
        assert.equal(results.length, count);
        for (const result of results) {
          assertResult(result);
          if (result.ok) assertDistribution(result.value.probs, set.length, 'packed');
        }
      }),
      runs(400),
    );
  });

  test('parseChoiceVotes', () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 16 }), letters, (texts, set) => {
        const result = parseChoiceVotes(texts, set);
        assertResult(result);
        if (result.ok) assertDistribution(result.value.probs, set.length, 'votes');
      }),
      runs(400),
    );
  });

  test('parseVerbalized', () => {
    fc.assert(
      fc.property(
        letters.chain((set) => fc.tuple(fc.constant(set), labelsFor(set.length))),
        anyText,
        ([set, labels], text) => {
          const result = parseVerbalized(text, set, labels);
          assertResult(result);
          if (result.ok) assertDistribution(result.value.probs, set.length, 'verbalized');
        },
      ),
      runs(400),
    );
  });

  test('parseVerbalized with numbers in every awkward form', () => {
    const number = fc.oneof(hostileLogprob.map(String), fc.constantFrom('NaN', 'Infinity', '-0', '1e999', '"0.5"', 'null', '-1'));
    fc.assert(
      fc.property(fc.array(number, { minLength: 3, maxLength: 3 }), (values) => {
        const text = `{"A": ${values[0]}, "B": ${values[1]}, "C": ${values[2]}}`;
        const result = parseVerbalized(text, ['A', 'B', 'C'], ['left', 'right', 'forward']);
        assertResult(result);
        if (result.ok) assertDistribution(result.value.probs, 3, text);
      }),
      runs(300),
    );
  });

  test('parseActionVector: finite and within bounds when ok', () => {
    const bounds = fc.array(fc.tuple(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: 0, max: 1e6 })), { minLength: 1, maxLength: 4 });
    const number = fc.oneof(fc.double().map(String), fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-0', '"1"', 'null', '[]'));
    fc.assert(
      fc.property(
        bounds,
        fc.oneof(anyText, fc.array(number, { maxLength: 5 }).map((values) => `{"action": [${values.join(', ')}]}`)),
        (pairs, text) => {
          const low = pairs.map(([from]) => from);
          const high = pairs.map(([from, width]) => from + width);
          const labels = pairs.map((_, index) => `x${index}`);
          const result = parseActionVector(text, labels, low, high);
          assertResult(result);
          if (result.ok) {
            assert.equal(result.value.vector.length, labels.length);
            result.value.vector.forEach((value, index) => {
              assert.ok(Number.isFinite(value), `${text}: ${value}`);
              assert.ok(value >= (low[index] as number) && value <= (high[index] as number), `${value} outside bounds`);
            });
          }
        },
      ),
      runs(400),
    );
  });

  test('shapeDistribution: undefined or a floored distribution summing to 1, whatever the weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(hostileLogprob, hostileLogprob.map(Math.exp)), { minLength: 1, maxLength: 64 }),
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (weights, temperature, floor) => {
          const probs = shapeDistribution(weights, { temperature, floor });
          if (probs === undefined) return;
          assert.equal(probs.length, weights.length);
          assertSumsToOne(probs, `weights ${JSON.stringify(weights)} T=${temperature}`);
          const least = Math.min(floor, 1 / weights.length);
          assert.ok(probs.every((p) => p >= least - 1e-12), `below floor ${least}: ${JSON.stringify(probs)}`);
        },
      ),
      runs(500),
    );
  });
});
