import fc from 'fast-check';

/** Strings that parsers and validators trip on: numbers in disguise, unicode edge cases, size. */
const awkwardString = fc.oneof(
  fc.constantFrom(
    '', 'NaN', 'Infinity', '-Infinity', '-0', '1e999', '-1e999', '0x1F', '__proto__', 'constructor',
    '\u0000', '\uD800', '\uFFFF', '\u202E', 'e\u0301', '👩‍👩‍👧', 'A', 'Z', '{"a":', 'data:image/png;base64,',
    'data:image/png;base64,iVBORw0KGgo=', 'https://169.254.169.254/', 'file:///etc/passwd',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // Huge strings, in a few shapes, well under the body limit so the validators see them.
  fc.integer({ min: 10_000, max: 300_000 }).map((length) => 'x'.repeat(length)),
  fc.integer({ min: 1_000, max: 20_000 }).map((length) => '😀'.repeat(length)),
);

/** Numbers JSON can carry, and the ones it turns NaN/±Infinity into when a client sends them. */
const awkwardNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e308, -1e308, 4096, 65, 27),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/**
 * Any JSON value, biased to the awkward: wrong types, deep nesting, huge and unicode strings,
 * prototype-ish keys. Everything here survives `JSON.stringify` unchanged in type.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    awkwardString,
    awkwardNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(awkwardString.filter((key) => key.length < 50), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
    // Nesting far deeper than any real request, built directly so it is cheap to generate.
    fc.integer({ min: 50, max: 400 }).map((depth) => nest(depth)),
  ),
})).value;

function nest(depth: number): unknown {
  let value: unknown = 0;
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}
