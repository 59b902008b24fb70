import { seedSequenceState } from './seed-sequence.ts';

/**
 * numpy's PCG64 (XSL-RR 128/64) bit generator. The 128-bit state lives in eight 16-bit
 * limbs held in plain numbers: limb products stay below 2^32 and their column sums below
 * 2^53, so the 128-bit LCG step is exact double arithmetic with no BigInt on the hot path.
 */
const MULTIPLIER = [0xf645, 0x9fcc, 0xdf64, 0x4385, 0x5da4, 0x1fc6, 0xed05, 0x2360] as const;
const M0 = MULTIPLIER[0];
const M1 = MULTIPLIER[1];
const M2 = MULTIPLIER[2];
const M3 = MULTIPLIER[3];
const M4 = MULTIPLIER[4];
const M5 = MULTIPLIER[5];
const M6 = MULTIPLIER[6];
const M7 = MULTIPLIER[7];
const TWO16 = 0x10000;

export class Pcg64 {
  /** State limbs, least significant first. */
  private readonly state = new Float64Array(8);
  private readonly inc = new Float64Array(8);
  /** Output halves of the latest next64, read by callers that want the raw 64 bits. */
  hi = 0;
  lo = 0;
  private hasBuffered32 = false;
  private buffered32 = 0;

  constructor(seed: number | bigint) {
    const words = seedSequenceState(seed);
    // initstate = s0 << 64 | s1 and initseq = s2 << 64 | s3, each uint64 being (hi word, lo word).
    const initState = limbsOf(words[1]!, words[0]!, words[3]!, words[2]!);
    const initSeq = limbsOf(words[5]!, words[4]!, words[7]!, words[6]!);
    // inc = (initseq << 1) | 1, over 16-bit limbs.
    let carry = 1;
    for (let k = 0; k < 8; k++) {
      const doubled = initSeq[k]! * 2 + carry;
      this.inc[k] = doubled % TWO16;
      carry = doubled >= TWO16 ? 1 : 0;
    }
    this.step();
    addInto(this.state, initState);
    this.step();
  }

  /** state = state * MULTIPLIER + inc (mod 2^128). */
  private step(): void {
    const s = this.state;
    const inc = this.inc;
    const s0 = s[0]!,
      s1 = s[1]!,
      s2 = s[2]!,
      s3 = s[3]!,
      s4 = s[4]!,
      s5 = s[5]!,
      s6 = s[6]!,
      s7 = s[7]!;
    let t = s0 * M0 + inc[0]!;
    s[0] = t % TWO16;
    t = Math.floor(t / TWO16) + s0 * M1 + s1 * M0 + inc[1]!;
    s[1] = t % TWO16;
    t = Math.floor(t / TWO16) + s0 * M2 + s1 * M1 + s2 * M0 + inc[2]!;
    s[2] = t % TWO16;
    t = Math.floor(t / TWO16) + s0 * M3 + s1 * M2 + s2 * M1 + s3 * M0 + inc[3]!;
    s[3] = t % TWO16;
    t = Math.floor(t / TWO16) + s0 * M4 + s1 * M3 + s2 * M2 + s3 * M1 + s4 * M0 + inc[4]!;
    s[4] = t % TWO16;
    t = Math.floor(t / TWO16) + s0 * M5 + s1 * M4 + s2 * M3 + s3 * M2 + s4 * M1 + s5 * M0 + inc[5]!;
    s[5] = t % TWO16;
    t =
      Math.floor(t / TWO16) +
      s0 * M6 +
      s1 * M5 +
      s2 * M4 +
      s3 * M3 +
      s4 * M2 +
      s5 * M1 +
      s6 * M0 +
      inc[6]!;
    s[6] = t % TWO16;
    t =
      Math.floor(t / TWO16) +
      s0 * M7 +
      s1 * M6 +
      s2 * M5 +
      s3 * M4 +
      s4 * M3 +
      s5 * M2 +
      s6 * M1 +
      s7 * M0 +
      inc[7]!;
    s[7] = t % TWO16;
  }

  /** Advances and leaves the 64-bit XSL-RR output in {@link hi}/{@link lo}. */
  next64(): void {
    this.step();
    const s = this.state;
    // x = hi64 ^ lo64, as two 32-bit halves.
    const xHi = ((s[7]! * TWO16 + s[6]!) ^ (s[3]! * TWO16 + s[2]!)) >>> 0;
    const xLo = ((s[5]! * TWO16 + s[4]!) ^ (s[1]! * TWO16 + s[0]!)) >>> 0;
    const rot = s[7]! >>> 10;
    if (rot === 0) {
      this.hi = xHi;
      this.lo = xLo;
    } else if (rot < 32) {
      this.lo = ((xLo >>> rot) | (xHi << (32 - rot))) >>> 0;
      this.hi = ((xHi >>> rot) | (xLo << (32 - rot))) >>> 0;
    } else if (rot === 32) {
      this.lo = xHi;
      this.hi = xLo;
    } else {
      const r = rot - 32;
      this.lo = ((xHi >>> r) | (xLo << (32 - r))) >>> 0;
      this.hi = ((xLo >>> r) | (xHi << (32 - r))) >>> 0;
    }
  }

  /** numpy buffers the unused high half of a 64-bit draw for the next 32-bit request. */
  next32(): number {
    if (this.hasBuffered32) {
      this.hasBuffered32 = false;
      return this.buffered32;
    }
    this.next64();
    this.hasBuffered32 = true;
    this.buffered32 = this.hi;
    return this.lo;
  }

  /** Hex of the 128-bit state, for tests against numpy's `bit_generator.state`. */
  stateHex(): string {
    return limbsHex(this.state);
  }

  incHex(): string {
    return limbsHex(this.inc);
  }
}

/** Limbs of the 128-bit value whose 32-bit words are given most significant first. */
function limbsOf(w3: number, w2: number, w1: number, w0: number): number[] {
  return [
    w0 & 0xffff,
    w0 >>> 16,
    w1 & 0xffff,
    w1 >>> 16,
    w2 & 0xffff,
    w2 >>> 16,
    w3 & 0xffff,
    w3 >>> 16,
  ];
}

function addInto(target: Float64Array, addend: readonly number[]): void {
  let carry = 0;
  for (let k = 0; k < 8; k++) {
    const sum = target[k]! + addend[k]! + carry;
    target[k] = sum % TWO16;
    carry = sum >= TWO16 ? 1 : 0;
  }
}

function limbsHex(limbs: Float64Array): string {
  let hex = '';
  for (let k = 7; k >= 0; k--) hex += limbs[k]!.toString(16).padStart(4, '0');
  return hex;
}
