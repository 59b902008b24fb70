import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '@teacher-gateway/gateway/internal/suggestion/canonical-json';

/** The definition (the first version, which recorded cache keys depend on): a copy with sorted keys, through JSON.stringify. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedCopy((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

test('canonicalJson equals JSON.stringify of a key-sorted copy, for any JSON value', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.equal(canonicalJson(value), JSON.stringify(sortedCopy(value)));
    }),
    { numRuns: 2000 },
  );
});

test('canonicalJson ignores key order and drops undefined members as JSON does', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, undefined], c: 'x' }, e: undefined }), '{"a":{"c":"x","d":[1,null]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
});

test('canonicalJson keeps the order recorded keys were made with: array-index keys first, numerically', () => {
  assert.equal(canonicalJson({ b: 1, '10': 2, '9': 3, a: 4, '01': 5 }), '{"9":3,"10":2,"01":5,"a":4,"b":1}');
});

test('canonicalJson writes keys that need escaping as JSON does', () => {
  assert.equal(canonicalJson({ 'quote"d': 1, 'line\nbreak': 2 }), JSON.stringify({ 'line\nbreak': 2, 'quote"d': 1 }));
});
