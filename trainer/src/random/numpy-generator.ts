import { Pcg64 } from './pcg64.ts';
import type { RandomSource } from './random-source.ts';

const TWO16 = 0x10000;
const UINT32_MAX = 0xffffffff;

/**
 * `numpy.random.Generator(PCG64(SeedSequence(seed)))`, limited to the draws MiniGrid makes,
 * reproducing numpy's streams exactly (what Gymnasium's `seeding.np_random(seed)` builds).
 */
export class NumpyGenerator implements RandomSource {
  private readonly bits: Pcg64;

  constructor(seed: number | bigint) {
    this.bits = new Pcg64(seed);
  }

  get bitGenerator(): Pcg64 {
    return this.bits;
  }

  integers(low: number, high: number): number {
    const range = high - 1 - low;
    if (range === 0) return low;
    if (!(range > 0) || range > UINT32_MAX || !Number.isInteger(range)) {
      throw new RangeError(
        `integers(${low}, ${high}): only ranges of 1 .. 2^32 values are supported`,
      );
    }
    if (range === UINT32_MAX) return low + this.bits.next32();
    return low + this.lemire32(range);
  }

  /** numpy's buffered_bounded_lemire_uint32: the high 32 bits of next32 * (range + 1). */
  private lemire32(range: number): number {
    const bound = range + 1;
    let draw = this.bits.next32();
    let leftover = mulLow32(draw, bound);
    if (leftover < bound) {
      const threshold = (UINT32_MAX - range) % bound;
      while (leftover < threshold) {
        draw = this.bits.next32();
        leftover = mulLow32(draw, bound);
      }
    }
    return mulHigh32(draw, bound);
  }

  /** `Generator.random()`: a double in [0, 1) from the top 53 bits of a 64-bit draw. */
  random(): number {
    const bits = this.bits;
    bits.next64();
    return (bits.hi * 0x200000 + (bits.lo >>> 11)) * 2 ** -53;
  }

  /** `Generator.uniform(low, high)`. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** numpy's random_interval: masked rejection sampling on 32-bit draws. */
  private interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do {
      value = (this.bits.next32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const held = items[i]!;
      items[i] = items[j]!;
      items[j] = held;
    }
  }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('choice from an empty sequence');
    return items[this.integers(0, items.length)]!;
  }
}

function mulLow32(a: number, b: number): number {
  return Math.imul(a, b) >>> 0;
}

/** floor(a * b / 2^32) for 32-bit a and b, exact in doubles by splitting a into 16-bit halves. */
function mulHigh32(a: number, b: number): number {
  const low = (a & 0xffff) * b;
  const mid = (a >>> 16) * b + Math.floor(low / TWO16);
  return Math.floor(mid / TWO16);
}
