import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseActionVector } from '@teacher-gateway/gateway/internal/parsing/parse-action-vector';
import { parseChoiceVotes } from '@teacher-gateway/gateway/internal/parsing/parse-choice-votes';
import { parseVerbalized } from '@teacher-gateway/gateway/internal/parsing/parse-verbalized';
import { readChoiceLetter } from '@teacher-gateway/gateway/internal/parsing/read-choice-letter';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

const letters = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const labels = [...ACTION_LABELS];

test('reads letters the way models write them', () => {
  const cases: [string, number][] = [
    ['C', 2], [' c', 2], ['"C"', 2], ['(C)', 2], ['C.', 2], ['**C**', 2], ['Answer: C', 2],
    ['C. move forward', 2], ['The answer is C', -1], ['', -1], ['Z', -1], ['CC', -1],
  ];
  for (const [text, expected] of cases) assert.equal(readChoiceLetter(text, letters), expected, text);
});

test('votes count parsable samples and report the rest', () => {
  const result = parseChoiceVotes(['C', 'c.', 'B', 'I cannot see', 'C'], letters);
  assert.ok(result.ok);
  assert.deepEqual(result.value.probs, [0, 1, 3, 0, 0, 0, 0]);
  assert.equal(result.value.unparsedSamples, 1);
  assert.equal(parseChoiceVotes(['no', 'idea'], letters).ok, false);
});

test('verbalized JSON is read through prose, fences, labels, wrappers and percentages', () => {
  const good = [
    '{"A": 0.1, "B": 0.1, "C": 0.6, "D": 0.05, "E": 0.05, "F": 0.05, "G": 0.05}',
    'Here you go:\n```json\n{"A": 0.1, "B": 0.1, "C": 0.6, "D": 0.05, "E": 0.05, "F": 0.05, "G": 0.05,}\n```',
    '{"probabilities": {"turn left": 0.1, "turn right": 0.1, "move forward": 0.6, "pick up": 0.05, "drop": 0.05, "toggle": 0.05, "done": 0.05}}',
    '[0.1, 0.1, 0.6, 0.05, 0.05, 0.05, 0.05]',
    "{'A': 10, 'B': 10, 'C': 60, 'D': 5, 'E': 5, 'F': 5, 'G': 5}",
  ];
  for (const text of good) {
    const result = parseVerbalized(text, letters, labels);
    assert.ok(result.ok, `${text}: ${result.ok ? '' : result.reason}`);
    assert.ok(Math.abs((result.value.probs[2] ?? 0) - 0.6) < 1e-9, text);
  }
  const bad: [string, RegExp][] = [
    ['{"A": 0.9, "B": 0.9}', /sum/],
    ['{"A": 0.5, "H": 0.5}', /unknown action/],
    ['{"A": -0.5, "C": 1.5}', /not a probability/],
    ['I think C', /no JSON/],
    ['[0.5, 0.5]', /expected 7/],
    ['"C"', /neither/],
  ];
  for (const [text, reason] of bad) {
    const result = parseVerbalized(text, letters, labels);
    assert.equal(result.ok, false, text);
    if (!result.ok) assert.match(result.reason, reason, text);
  }
});

test('action vectors are clipped to bounds and malformed ones rejected', () => {
  const bounds = [['dx', 'dy'], [-1, -1], [1, 1]] as const;
  const read = (text: string) => parseActionVector(text, bounds[0], bounds[1], bounds[2]);
  assert.deepEqual(read('{"action": [0.2, 5]}'), { ok: true, value: { vector: [0.2, 1], clipped: 1 } });
  assert.deepEqual(read('[0.2, -0.3]'), { ok: true, value: { vector: [0.2, -0.3], clipped: 0 } });
  assert.deepEqual(read('{"dx": "0.5", "DY": 0}'), { ok: true, value: { vector: [0.5, 0], clipped: 0 } });
  assert.equal(read('{"action": [1]}').ok, false);
  assert.equal(read('{"action": [null, 1]}').ok, false);
  assert.equal(read('move right').ok, false);
});
