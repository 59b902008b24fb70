/**
 * @module
 * A multilayer perceptron on plain `tf.Variable`s drawn from a seeded generator, initialised as
 * PyTorch's `nn.Linear` is (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases), so the
 * SAC networks match cleanrl's and the same seed gives the same weights on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { NumpyGenerator } from '../random/numpy-generator.ts';

export interface MlpOptions {
  /** Prefix of every variable's name (`<name>/dense0/kernel`). */
  name: string;
  /** Layer widths from input to output, e.g. `[obs + act, 256, 256, 1]`. */
  sizes: readonly number[];
  /** Draws the initial weights. */
  random: NumpyGenerator;
}

export interface Mlp {
  readonly name: string;
  readonly variables: tf.Variable[];
  /** ReLU between layers, none after the last. */
  forward(input: tf.Tensor2D): tf.Tensor2D;
  /** Copies of every weight by name, for checkpoints. */
  getWeights(): Record<string, { shape: number[]; values: number[] }>;
  setWeights(weights: Record<string, { shape: number[]; values: number[] }>): void;
  dispose(): void;
}

/**
 * @example
 * const qf1 = createMlp({ name: 'qf1', sizes: [6 + 2, 256, 256, 1], random })
 * const q = qf1.forward(tf.concat([observations, actions], 1))
 */
export function createMlp(options: MlpOptions): Mlp {
  const { name, sizes, random } = options;
  const layers: { kernel: tf.Variable; bias: tf.Variable }[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i]!;
    const fanOut = sizes[i + 1]!;
    const bound = 1 / Math.sqrt(fanIn);
    const uniform = (n: number) =>
      Float32Array.from({ length: n }, () => random.uniform(-bound, bound));
    layers.push({
      kernel: variableFrom(
        tf.tensor2d(uniform(fanIn * fanOut), [fanIn, fanOut]),
        true,
        `${name}/dense${i}/kernel`,
      ),
      bias: variableFrom(tf.tensor1d(uniform(fanOut)), true, `${name}/dense${i}/bias`),
    });
  }
  const variables = layers.flatMap(({ kernel, bias }) => [kernel, bias]);
  return {
    name,
    variables,
    forward(input) {
      return tf.tidy(() => {
        let x: tf.Tensor2D = input;
        layers.forEach(({ kernel, bias }, i) => {
          x = tf.add(tf.matMul(x, kernel), bias);
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

/** `tf.variable`, disposing the initial tensor (a variable keeps its own reference to the data). */
export function variableFrom(initial: tf.Tensor, trainable: boolean, name: string): tf.Variable {
  const variable = tf.variable(initial, trainable, name);
  initial.dispose();
  return variable;
}
