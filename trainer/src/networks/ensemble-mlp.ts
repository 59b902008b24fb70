/**
 * @module
 * `members` independent MLPs of the same shape evaluated as one: weights stacked on a leading
 * axis and applied with batched matrix products. SAC's twin critics (and their targets) run as
 * one ensemble of two, which halves the TensorFlow.js ops per update; on the WebAssembly
 * backend, op dispatch rather than arithmetic bounds these small networks (bench/physics.ts).
 * Each member is initialised as `createMlp` would initialise it.
 */
import * as tf from '@tensorflow/tfjs';
import type { NumpyGenerator } from '../random/numpy-generator.ts';
import { variableFrom } from './mlp.ts';

export interface EnsembleMlpOptions {
  name: string;
  members: number;
  sizes: readonly number[];
  random: NumpyGenerator;
}

export interface EnsembleMlp {
  readonly name: string;
  readonly members: number;
  readonly variables: tf.Variable[];
  /** [batch, in] → [members, batch, out]; ReLU between layers. */
  forward(input: tf.Tensor2D): tf.Tensor3D;
  getWeights(): Record<string, { shape: number[]; values: number[] }>;
  setWeights(weights: Record<string, { shape: number[]; values: number[] }>): void;
  dispose(): void;
}

/**
 * @example
 * const critics = createEnsembleMlp({ name: 'qf', members: 2, sizes: [8, 256, 256, 1], random })
 * const [q1, q2] = tf.unstack(critics.forward(tf.concat([observations, actions], 1)))
 */
export function createEnsembleMlp(options: EnsembleMlpOptions): EnsembleMlp {
  const { name, members, sizes, random } = options;
  const layers: { kernel: tf.Variable; bias: tf.Variable }[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i]!;
    const fanOut = sizes[i + 1]!;
    const bound = 1 / Math.sqrt(fanIn);
    const kernel = new Float32Array(members * fanIn * fanOut);
    const bias = new Float32Array(members * fanOut);
    // Member by member, kernel then bias, the order createMlp draws in.
    for (let m = 0; m < members; m++) {
      for (let k = 0; k < fanIn * fanOut; k++)
        kernel[m * fanIn * fanOut + k] = random.uniform(-bound, bound);
      for (let k = 0; k < fanOut; k++) bias[m * fanOut + k] = random.uniform(-bound, bound);
    }
    layers.push({
      kernel: variableFrom(
        tf.tensor3d(kernel, [members, fanIn, fanOut]),
        true,
        `${name}/dense${i}/kernel`,
      ),
      bias: variableFrom(tf.tensor3d(bias, [members, 1, fanOut]), true, `${name}/dense${i}/bias`),
    });
  }
  const variables = layers.flatMap(({ kernel, bias }) => [kernel, bias]);
  return {
    name,
    members,
    variables,
    forward(input) {
      return tf.tidy(() => {
        let x = tf.tile(tf.expandDims(input, 0), [members, 1, 1]) as tf.Tensor3D;
        layers.forEach(({ kernel, bias }, i) => {
          x = tf.add(tf.matMul(x, kernel as tf.Tensor3D), bias);
          if (i + 1 < layers.length) x = tf.relu(x);
        });
        return x;
      });
    },
    getWeights() {
      return Object.fromEntries(
        variables.map((v) => [v.name, { shape: [...v.shape], values: Array.from(v.dataSync()) }]),
      );
    },
    setWeights(weights) {
      for (const v of variables) {
        const saved = weights[v.name];
        if (saved === undefined) throw new Error(`checkpoint has no weight ${v.name}`);
        tf.tidy(() => v.assign(tf.tensor(saved.values, saved.shape)));
      }
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
