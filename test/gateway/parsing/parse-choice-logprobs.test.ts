import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChoiceLogprobs } from '@teacher-gateway/gateway/internal/parsing/parse-choice-logprobs';
import { shapeDistribution } from '@teacher-gateway/gateway/internal/parsing/shape-distribution';

const letters = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const lp = Math.log;

test('sums spellings of one letter and reports mass outside the actions', () => {
  const result = parseChoiceLogprobs(
    [
      {
        token: 'C',
        logprob: lp(0.6),
        top: [
          { token: 'C', logprob: lp(0.6) },
          { token: ' C', logprob: lp(0.1) },
          { token: 'c', logprob: lp(0.05) },
          { token: '"A', logprob: lp(0.1) },
          { token: 'The', logprob: lp(0.1) },
          { token: 'B', logprob: -9999 },
        ],
      },
    ],
    letters,
  );
  assert.ok(result.ok);
  assert.ok(Math.abs((result.value.probs[2] ?? 0) - 0.75) < 1e-9);
  assert.ok(Math.abs((result.value.probs[0] ?? 0) - 0.1) < 1e-9);
  assert.equal(result.value.probs[1], 0, 'the -9999 sentinel means unknown, not a probability');
  assert.ok(Math.abs((result.value.massOutside ?? 0) - 0.1) < 1e-9);
});

test('skips leading tokens that are not letters (a space, a quote, markdown)', () => {
  const result = parseChoiceLogprobs(
    [
      { token: '**', logprob: lp(0.9), top: [{ token: '**', logprob: lp(0.9) }] },
      { token: 'D', logprob: lp(0.8), top: [{ token: 'D', logprob: lp(0.8) }, { token: 'F', logprob: lp(0.2) }] },
    ],
    letters,
  );
  assert.ok(result.ok);
  assert.equal(result.value.position, 1);
  assert.ok((result.value.probs[3] ?? 0) > (result.value.probs[5] ?? 0));
});

test('no logprobs, or no letter anywhere, is a failure value rather than a throw', () => {
  assert.equal(parseChoiceLogprobs(undefined, letters).ok, false);
  assert.equal(parseChoiceLogprobs([], letters).ok, false);
  const prose = parseChoiceLogprobs([{ token: 'Hello', logprob: -0.1, top: [{ token: 'Hi', logprob: -2 }] }], letters);
  assert.equal(prose.ok, false);
  const nan = parseChoiceLogprobs([{ token: 'A', logprob: Number.NaN, top: [{ token: 'A', logprob: Number.NaN }] }], letters);
  assert.equal(nan.ok, false);
});

test('shaping: missing actions get the floor, temperature flattens, the sum is 1', () => {
  const probs = shapeDistribution([0, 0, 0.9, 0, 0, 0, 0.1], { temperature: 1, floor: 0.01 });
  assert.ok(probs);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(probs.every((p) => p >= 0.01 - 1e-12));
  const hot = shapeDistribution([0.1, 0.9], { temperature: 2, floor: 0 });
  assert.ok(hot && Math.abs((hot[1] ?? 0) - 0.75) < 1e-9, 'sqrt(0.9)/(sqrt(0.1)+sqrt(0.9)) = 0.75');
  const cold = shapeDistribution([1e-300, 1e-299], { temperature: 0.01, floor: 0 });
  assert.ok(cold && (cold[1] ?? 0) > 0.999, 'low temperatures do not underflow');
  assert.equal(shapeDistribution([0, 0], { temperature: 1, floor: 0.1 }), undefined);
});
