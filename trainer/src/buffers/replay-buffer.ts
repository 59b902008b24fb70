/**
 * @module
 * cleanrl's (stable-baselines3's) replay buffer for one environment: a ring of transitions in
 * flat Float32Arrays, sampled uniformly. `done` stores only termination, never truncation, so a
 * time limit is bootstrapped through (cleanrl's `handle_timeout_termination`).
 */
import type { NumpyGenerator } from '../random/numpy-generator.ts';

export interface ReplayBufferOptions {
  capacity: number;
  observationSize: number;
  actionSize: number;
}

export interface Transition {
  observation: ArrayLike<number>;
  action: ArrayLike<number>;
  reward: number;
  nextObservation: ArrayLike<number>;
  /** Terminated (not truncated). */
  done: boolean;
}

/** A batch of transitions, row-major: `observations[i * observationSize + j]`. */
export interface ReplayBatch {
  size: number;
  observations: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObservations: Float32Array;
  dones: Float32Array;
}

/**
 * @example
 * const buffer = new ReplayBuffer({ capacity: 100_000, observationSize: 6, actionSize: 2 })
 * buffer.add({ observation, action, reward, nextObservation, done })
 * const batch = buffer.sample(256, random)
 */
export class ReplayBuffer {
  readonly capacity: number;
  readonly observationSize: number;
  readonly actionSize: number;
  private readonly observations: Float32Array;
  private readonly actions: Float32Array;
  private readonly rewards: Float32Array;
  private readonly nextObservations: Float32Array;
  private readonly dones: Float32Array;
  /** Transitions added so far (keeps counting past capacity). */
  private added = 0;

  constructor(options: ReplayBufferOptions) {
    this.capacity = options.capacity;
    this.observationSize = options.observationSize;
    this.actionSize = options.actionSize;
    this.observations = new Float32Array(this.capacity * this.observationSize);
    this.actions = new Float32Array(this.capacity * this.actionSize);
    this.rewards = new Float32Array(this.capacity);
    this.nextObservations = new Float32Array(this.capacity * this.observationSize);
    this.dones = new Float32Array(this.capacity);
  }

  get size(): number {
    return Math.min(this.added, this.capacity);
  }

  add(transition: Transition): void {
    const slot = this.added % this.capacity;
    this.observations.set(transition.observation, slot * this.observationSize);
    this.actions.set(transition.action, slot * this.actionSize);
    this.rewards[slot] = transition.reward;
    this.nextObservations.set(transition.nextObservation, slot * this.observationSize);
    this.dones[slot] = transition.done ? 1 : 0;
    this.added += 1;
  }

  /** `batchSize` transitions drawn uniformly, with replacement (as stable-baselines3 does). */
  sample(batchSize: number, random: NumpyGenerator): ReplayBatch {
    const size = this.size;
    if (size === 0) throw new Error('cannot sample an empty replay buffer');
    return this.gather(Array.from({ length: batchSize }, () => random.integers(0, size)));
  }

  /** `count` distinct transitions among the `window` most recent (all of them if fewer). */
  sampleRecent(count: number, window: number, random: NumpyGenerator): ReplayBatch {
    const available = Math.min(window, this.size);
    const ages = Array.from({ length: available }, (_, age) => age);
    random.shuffle(ages);
    const slots = ages
      .slice(0, Math.min(count, available))
      .map((age) => (((this.added - 1 - age) % this.capacity) + this.capacity) % this.capacity);
    return this.gather(slots);
  }

  private gather(slots: readonly number[]): ReplayBatch {
    const { observationSize: o, actionSize: a } = this;
    const n = slots.length;
    const batch: ReplayBatch = {
      size: n,
      observations: new Float32Array(n * o),
      actions: new Float32Array(n * a),
      rewards: new Float32Array(n),
      nextObservations: new Float32Array(n * o),
      dones: new Float32Array(n),
    };
    slots.forEach((slot, i) => {
      batch.observations.set(this.observations.subarray(slot * o, slot * o + o), i * o);
      batch.actions.set(this.actions.subarray(slot * a, slot * a + a), i * a);
      batch.rewards[i] = this.rewards[slot]!;
      batch.nextObservations.set(this.nextObservations.subarray(slot * o, slot * o + o), i * o);
      batch.dones[i] = this.dones[slot]!;
    });
    return batch;
  }
}
