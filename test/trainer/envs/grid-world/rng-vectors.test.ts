import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { NumpyGenerator } from '@teacher-gateway/trainer/internal/random/numpy-generator';
import { Pcg64 } from '@teacher-gateway/trainer/internal/random/pcg64';
import { seedSequenceState } from '@teacher-gateway/trainer/internal/random/seed-sequence';
import { FIXTURE_DIR } from './minigrid-fixtures.ts';

interface RngVector {
  seed: number;
  seed_sequence_state_u64_hex: string[];
  pcg64_initial_state_hex: string;
  pcg64_inc_hex: string;
  first_next64_hex: string[];
  integers_low_high_result: [number, number, number][];
  shuffle_range8_fresh_generator: number[];
}

const vectors = (
  JSON.parse(readFileSync(new URL('rng_vectors.json', FIXTURE_DIR), 'utf8')) as {
    vectors: RngVector[];
  }
).vectors;

const hex32 = (v: number) => v.toString(16).padStart(8, '0');

test('rng vectors are present', () => assert.ok(vectors.length >= 5));

for (const vector of vectors) {
  test(`numpy Generator(PCG64(SeedSequence(${vector.seed})))`, () => {
    const words = seedSequenceState(vector.seed);
    const u64 = [0, 1, 2, 3].map((k) => hex32(words[2 * k + 1]!) + hex32(words[2 * k]!));
    assert.deepEqual(u64, vector.seed_sequence_state_u64_hex, 'SeedSequence.generate_state');

    const bits = new Pcg64(vector.seed);
    assert.equal(bits.stateHex(), vector.pcg64_initial_state_hex, 'PCG64 initial state');
    assert.equal(bits.incHex(), vector.pcg64_inc_hex, 'PCG64 increment');
    for (const expected of vector.first_next64_hex) {
      bits.next64();
      assert.equal(hex32(bits.hi) + hex32(bits.lo), expected, 'next64');
    }

    const generator = new NumpyGenerator(vector.seed);
    const drawn = vector.integers_low_high_result.map(([low, high]) => [
      low,
      high,
      generator.integers(low, high),
    ]);
    assert.deepEqual(drawn, vector.integers_low_high_result, 'integers(low, high) in sequence');

    const items = [0, 1, 2, 3, 4, 5, 6, 7];
    new NumpyGenerator(vector.seed).shuffle(items);
    assert.deepEqual(items, vector.shuffle_range8_fresh_generator, 'shuffle(range(8))');
  });
}

test('seeds of 2^32 and above split into several words', () => {
  const big = new NumpyGenerator(2 ** 32 + 5);
  const bigint = new NumpyGenerator(2n ** 32n + 5n);
  for (let k = 0; k < 10; k++) assert.equal(big.integers(0, 1000), bigint.integers(0, 1000));
});

test('integers draws nothing for a one-value range', () => {
  const a = new NumpyGenerator(3);
  const b = new NumpyGenerator(3);
  assert.equal(a.integers(4, 5), 4);
  assert.equal(a.integers(0, 100), b.integers(0, 100));
});

test('choice picks with integers(0, n)', () => {
  const a = new NumpyGenerator(11);
  const b = new NumpyGenerator(11);
  const items = ['a', 'b', 'c', 'd', 'e'];
  for (let k = 0; k < 20; k++) assert.equal(a.choice(items), items[b.integers(0, items.length)]);
});

test('integers stays in range and covers it', () => {
  const generator = new NumpyGenerator(99);
  const seen = new Set<number>();
  for (let k = 0; k < 2000; k++) {
    const value = generator.integers(-3, 4);
    assert.ok(value >= -3 && value < 4);
    seen.add(value);
  }
  assert.equal(seen.size, 7);
});

test('random() and uniform() follow numpy (default_rng(0).random() and default_rng(42).random())', () => {
  assert.equal(new NumpyGenerator(0).random(), 0.6369616873214543);
  assert.equal(new NumpyGenerator(42).random(), 0.7739560485559633);
  const generator = new NumpyGenerator(0);
  assert.equal(generator.uniform(2, 4), 2 + 2 * 0.6369616873214543);
});
