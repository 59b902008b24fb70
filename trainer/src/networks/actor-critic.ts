/**
 * @module
 * The student: rl-starter-files' `ACModel` in TensorFlow.js. A small CNN over MiniGrid's 7x7x3
 * symbolic view (or an MLP over the same 147 numbers), a mission encoder, and separate 64-unit
 * tanh actor and critic heads. Weights are plain `tf.Variable`s drawn from a seeded generator,
 * so the same seed gives the same network on every backend, and a checkpoint is a list of
 * named arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { NumpyGenerator } from '../random/numpy-generator.ts';

export interface ActorCriticOptions {
  /** `cnn`: rl-starter-files' image_conv (2x2 convs 16-32-64, one 2x2 max-pool); `mlp`: two 64-unit tanh layers. */
  kind: 'cnn' | 'mlp';
  numActions: number;
  /** `bag-of-words`: the mean of learned word embeddings; `none`: the mission is ignored. */
  missionEncoder: 'bag-of-words' | 'none';
  /** Word slots of the mission vocabulary (rl-starter-files grows a vocabulary of at most 100). */
  vocabularySize: number;
  /** Seeds the weight initialisation. */
  seed: number;
}

export interface ActorCriticOutput {
  /** [batch, numActions], unnormalised. */
  logits: tf.Tensor2D;
  /** [batch]. */
  values: tf.Tensor1D;
}

export interface ActorCritic {
  readonly options: ActorCriticOptions;
  readonly variables: tf.Variable[];
  /**
   * `images`: [batch, 147] in MiniGrid's `[column][row][channel]` order (raw ints, as
   * rl-starter-files feeds them); `missions`: [batch, vocabularySize] word counts.
   */
  forward(images: tf.Tensor2D, missions: tf.Tensor2D): ActorCriticOutput;
  /** Copies of every weight by name, for checkpoints. */
  getWeights(): Record<string, { shape: number[]; values: number[] }>;
  setWeights(weights: Record<string, { shape: number[]; values: number[] }>): void;
  dispose(): void;
}

const EMBEDDING_SIZE = 32;
const HIDDEN_SIZE = 64;

/**
 * @example
 * const model = createActorCritic({ kind: 'cnn', numActions: 7, missionEncoder: 'bag-of-words', vocabularySize: 64, seed: 1 })
 * const { logits, values } = model.forward(images, missions)
 */
export function createActorCritic(options: ActorCriticOptions): ActorCritic {
  const random = new NumpyGenerator(options.seed);
  const weights = new Map<string, tf.Variable>();
  // Unnamed: TF.js variable names are process-wide, and several students may coexist (tests, eval).
  const add = (name: string, shape: number[], values: Float32Array) =>
    weights.set(
      name,
      tf.tidy(() => tf.variable(tf.tensor(values, shape), true)),
    );
  // PyTorch's default for conv layers: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
  const addUniform = (name: string, shape: number[], fanIn: number) => {
    const bound = 1 / Math.sqrt(fanIn);
    const size = shape.reduce((a, b) => a * b, 1);
    add(
      name,
      shape,
      Float32Array.from({ length: size }, () => random.uniform(-bound, bound)),
    );
  };
  // rl-starter-files' init_params for linear layers: N(0, 1) rows scaled to unit norm, zero bias.
  const addLinear = (name: string, inputs: number, outputs: number) => {
    const values = new Float32Array(inputs * outputs);
    for (let out = 0; out < outputs; out++) {
      let norm = 0;
      for (let input = 0; input < inputs; input++) {
        const value = normal(random);
        values[input * outputs + out] = value;
        norm += value * value;
      }
      const scale = 1 / Math.sqrt(norm);
      for (let input = 0; input < inputs; input++) values[input * outputs + out]! *= scale;
    }
    add(`${name}/kernel`, [inputs, outputs], values);
    add(`${name}/bias`, [outputs], new Float32Array(outputs));
  };

  if (options.kind === 'cnn') {
    // A 2x2 convolution is a matrix product over the four neighbouring cells' channels: the
    // wasm backend has no Conv2DBackpropFilter kernel, but slices and matMul differentiate.
    addUniform('conv1/kernel', [4 * 3, 16], 4 * 3);
    addUniform('conv1/bias', [16], 4 * 3);
    addUniform('conv2/kernel', [4 * 16, 32], 4 * 16);
    addUniform('conv2/bias', [32], 4 * 16);
    addUniform('conv3/kernel', [4 * 32, 64], 4 * 32);
    addUniform('conv3/bias', [64], 4 * 32);
  } else {
    addLinear('mlp1', 147, HIDDEN_SIZE);
    addLinear('mlp2', HIDDEN_SIZE, 64);
  }
  const useMission = options.missionEncoder === 'bag-of-words';
  if (useMission) {
    add(
      'mission/embedding',
      [options.vocabularySize, EMBEDDING_SIZE],
      Float32Array.from({ length: options.vocabularySize * EMBEDDING_SIZE }, () => normal(random)),
    );
  }
  const featureSize = 64 + (useMission ? EMBEDDING_SIZE : 0);
  addLinear('actor1', featureSize, HIDDEN_SIZE);
  addLinear('actor2', HIDDEN_SIZE, options.numActions);
  addLinear('critic1', featureSize, HIDDEN_SIZE);
  addLinear('critic2', HIDDEN_SIZE, 1);

  const w = (name: string) => weights.get(name)!;
  const dense = (x: tf.Tensor2D, name: string) =>
    tf.add(tf.matMul(x, w(`${name}/kernel`)), w(`${name}/bias`)) as tf.Tensor2D;

  const encodeImage = (images: tf.Tensor2D): tf.Tensor2D => {
    const batch = images.shape[0];
    if (options.kind === 'mlp') return tf.tanh(dense(tf.tanh(dense(images, 'mlp1')), 'mlp2'));
    let h = images.reshape([batch, 7, 7, 3]) as tf.Tensor4D;
    h = tf.relu(conv2x2(h, w('conv1/kernel'), w('conv1/bias')));
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(conv2x2(h, w('conv2/kernel'), w('conv2/bias')));
    h = tf.relu(conv2x2(h, w('conv3/kernel'), w('conv3/bias')));
    return h.reshape([batch, 64]);
  };

  return {
    options,
    variables: [...weights.values()],
    forward(images, missions) {
      return tf.tidy(() => {
        let features = encodeImage(images);
        if (useMission) {
          // Word counts over the vocabulary, normalised to a mean of the words' embeddings.
          const counts = tf.maximum(missions.sum(1, true), 1);
          const embedded = tf.matMul(
            tf.div(missions, counts),
            w('mission/embedding'),
          ) as tf.Tensor2D;
          features = tf.concat([features, embedded], 1);
        }
        const logits = dense(tf.tanh(dense(features, 'actor1')), 'actor2');
        const values = dense(tf.tanh(dense(features, 'critic1')), 'critic2').reshape([
          -1,
        ]) as tf.Tensor1D;
        return { logits, values };
      });
    },
    getWeights() {
      return Object.fromEntries(
        [...weights].map(([name, variable]) => [
          name,
          { shape: variable.shape, values: Array.from(variable.dataSync()) },
        ]),
      );
    },
    setWeights(saved) {
      for (const [name, variable] of weights) {
        const entry = saved[name];
        if (!entry || entry.shape.join('x') !== variable.shape.join('x')) {
          throw new Error(`checkpoint weight ${name} is missing or has another shape`);
        }
        tf.tidy(() => variable.assign(tf.tensor(entry.values, entry.shape)));
      }
    },
    dispose() {
      for (const variable of weights.values()) variable.dispose();
    },
  };
}

function conv2x2(h: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D {
  const [batch, height, width, channels] = h.shape;
  const size: [number, number, number, number] = [batch, height - 1, width - 1, channels];
  const patches = tf.concat(
    [
      h.slice([0, 0, 0, 0], size),
      h.slice([0, 0, 1, 0], size),
      h.slice([0, 1, 0, 0], size),
      h.slice([0, 1, 1, 0], size),
    ],
    3,
  );
  const flat = patches.reshape([batch * (height - 1) * (width - 1), 4 * channels]);
  return tf
    .add(tf.matMul(flat, kernel), bias)
    .reshape([batch, height - 1, width - 1, kernel.shape[1]!]);
}

function normal(random: NumpyGenerator): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random.random();
  const v = random.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
