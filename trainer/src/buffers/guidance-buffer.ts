/**
 * @module
 * VARL's guidance buffer: the (state, suggested action) pairs the teacher returned, kept for
 * the whole run (a few hundred pairs: about 3 rounds of queries) and sampled uniformly for the
 * behaviour-cloning term.
 */
import type { NumpyGenerator } from '../random/numpy-generator.ts';

export interface GuidanceBatch {
  size: number;
  observations: Float32Array;
  actions: Float32Array;
}

export class GuidanceBuffer {
  private observations: number[] = [];
  private actions: number[] = [];

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
  ) {}

  get size(): number {
    return this.observations.length / this.observationSize;
  }

  add(observation: ArrayLike<number>, action: ArrayLike<number>): void {
    if (observation.length !== this.observationSize || action.length !== this.actionSize) {
      throw new RangeError(
        `guidance pair of sizes ${observation.length}, ${action.length}; expected ${this.observationSize}, ${this.actionSize}`,
      );
    }
    this.observations.push(...Array.from(observation));
    this.actions.push(...Array.from(action));
  }

  /** `count` pairs drawn uniformly with replacement; every pair once when `count >= size` (no duplicates needed). */
  sample(count: number, random: NumpyGenerator): GuidanceBatch {
    const size = this.size;
    const indices =
      count >= size
        ? Array.from({ length: size }, (_, i) => i)
        : Array.from({ length: count }, () => random.integers(0, size));
    const o = this.observationSize;
    const a = this.actionSize;
    const batch: GuidanceBatch = {
      size: indices.length,
      observations: new Float32Array(indices.length * o),
      actions: new Float32Array(indices.length * a),
    };
    indices.forEach((index, i) => {
      for (let j = 0; j < o; j++) batch.observations[i * o + j] = this.observations[index * o + j]!;
      for (let j = 0; j < a; j++) batch.actions[i * a + j] = this.actions[index * a + j]!;
    });
    return batch;
  }
}
