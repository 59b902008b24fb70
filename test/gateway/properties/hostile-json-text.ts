import fc from 'fast-check';
import { suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { hostileValue } from './hostile-value.ts';

// A valid request with a marker where deep nesting is spliced in as text (too deep to build as a value).
const validText = JSON.stringify(suggestionRequest({ template: 'minigrid-text', observation: { text: 'x', state: { s: '@@' } }, tags: { run: 'deep' } }));

/**
 * Request bodies as text: valid JSON of hostile values, and text that only looks like JSON
 * (truncated, NaN/Infinity literals, exponents past double range, nesting past any parser's stack).
 */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  hostileValue.map((value) => JSON.stringify(value)),
  fc.tuple(hostileValue, fc.nat()).map(([value, cut]) => {
    const text = JSON.stringify(value);
    return text.slice(0, cut % (text.length + 1));
  }),
  fc.constantFrom(
    '', ' ', 'null', '{', '}', '[', '{"template": NaN}', '{"a": Infinity}', '{"a": -Infinity}', '{"a": 1e999}',
    '{"a": -1e999}', '{"a": -0}', '{"a": 01}', "{'a': 1}", '{"a": 1,}', '{"a" 1}', '\uFEFF{}', '{"a": "\\ud800"}',
    '{"__proto__": {"polluted": true}}', '{"constructor": {"prototype": {"polluted": true}}}',
  ),
  fc.integer({ min: 1_000, max: 200_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 1_000, max: 50_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.tuple(fc.integer({ min: 10, max: 100_000 }), fc.boolean(), fc.boolean()).map(([depth, arrays, batch]) => {
    const deep = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const request = validText.replace('"@@"', deep);
    return batch ? `{"requests":[${request}]}` : request;
  }),
);
