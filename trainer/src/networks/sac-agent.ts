/**
 * @module
 * The SAC agent: cleanrl's SoftQNetwork (obs ⊕ action → h → h → 1), twice, here as one ensemble
 * of two (qf1, qf2 = its members) with a target copy, and its Actor (obs → h → h → mean, log std),
 * here as one MLP whose last layer holds both heads; the tanh-squashed Gaussian's maths; Polyak
 * averaging. `algorithms/sac.ts` trains it; `teacher-train eval` rebuilds its actor from a checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import type { EnsembleMlp } from './ensemble-mlp.ts';
import { createEnsembleMlp } from './ensemble-mlp.ts';
import type { Mlp } from './mlp.ts';
import { createMlp, variableFrom } from './mlp.ts';
import type { NumpyGenerator } from '../random/numpy-generator.ts';

const LOG_STD_MAX = 2;
const LOG_STD_MIN = -5;
/**
 * Suggested actions on the bounds have zero density under a tanh-squashed Gaussian; behaviour
 * cloning evaluates them this far inside instead (atanh(0.995) ≈ 3), which keeps the term finite.
 */
const SQUASH_LIMIT = 0.995;

export type SacWeights = Record<string, { shape: number[]; values: number[] }>;

export interface SacAgent {
  readonly observationSize: number;
  readonly actionSize: number;
  readonly actor: Mlp;
  /** qf1 and qf2 as members 0 and 1. */
  readonly critics: EnsembleMlp;
  readonly criticsTarget: EnsembleMlp;
  readonly logAlpha: tf.Variable;
  /** Mean and log std of the pre-squash Gaussian, each [batch, |A|]. */
  distribution(observations: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D };
  /** The reparameterised sample for `noise` ~ N(0, I): action, its log-probability [batch, 1], and the mean action. */
  sample(
    observations: tf.Tensor2D,
    noise: tf.Tensor2D,
  ): { action: tf.Tensor2D; logProb: tf.Tensor2D; meanAction: tf.Tensor2D };
  /** log pi(a | s) of given actions, [batch, 1] (actions inside the bounds; see SQUASH_LIMIT). */
  logProbOf(observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor2D;
  /** The greedy action tanh(mean), scaled to the bounds. */
  meanAction(observations: tf.Tensor2D): tf.Tensor2D;
  /** Both critics' values, [2, batch, 1]. */
  q(network: EnsembleMlp, observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor3D;
  /** min(qf1, qf2), [batch, 1]. */
  minQ(network: EnsembleMlp, observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor2D;
  getWeights(): SacWeights;
  /** Restores every weight `getWeights` names (a checkpoint's). */
  setWeights(weights: SacWeights): void;
  dispose(): void;
}

export interface SacAgentOptions {
  observationSize: number;
  low: readonly number[];
  high: readonly number[];
  hiddenSize: number;
  random: NumpyGenerator;
}

export function createSacAgent(options: SacAgentOptions): SacAgent {
  const { observationSize, low, high, hiddenSize, random } = options;
  const actionSize = low.length;
  const h = hiddenSize;
  const actor = createMlp({
    name: 'actor',
    sizes: [observationSize, h, h, 2 * actionSize],
    random,
  });
  const qSizes = [observationSize + actionSize, h, h, 1];
  const critics = createEnsembleMlp({ name: 'qf', members: 2, sizes: qSizes, random });
  const criticsTarget = createEnsembleMlp({ name: 'qf_target', members: 2, sizes: qSizes, random });
  copyWeights(criticsTarget.variables, critics.variables);
  const logAlpha = variableFrom(tf.scalar(0), true, 'log_alpha');
  // cleanrl's action_scale and action_bias buffers.
  const scale = tf.keep(tf.tensor1d(high.map((hi, i) => (hi - low[i]!) / 2)));
  const bias = tf.keep(tf.tensor1d(high.map((hi, i) => (hi + low[i]!) / 2)));

  const distribution = (observations: tf.Tensor2D) =>
    tf.tidy(() => {
      const out = actor.forward(observations);
      const mean = tf.slice(out, [0, 0], [-1, actionSize]) as tf.Tensor2D;
      const raw = tf.tanh(tf.slice(out, [0, actionSize], [-1, actionSize]));
      const logStd = tf.add(
        LOG_STD_MIN,
        tf.mul(0.5 * (LOG_STD_MAX - LOG_STD_MIN), tf.add(raw, 1)),
      ) as tf.Tensor2D;
      return { mean, logStd };
    });

  /** Sum over components of log N(x; mean, std) - log(scale (1 - tanh(x)^2) + 1e-6). */
  const squashedLogProb = (
    x: tf.Tensor2D,
    squashed: tf.Tensor2D,
    mean: tf.Tensor2D,
    logStd: tf.Tensor2D,
  ) =>
    tf.tidy(() => {
      const z = tf.div(tf.sub(x, mean), tf.exp(logStd));
      const gaussian = tf.sub(
        tf.mul(-0.5, tf.square(z)),
        tf.add(logStd, 0.5 * Math.log(2 * Math.PI)),
      );
      const jacobian = tf.log(tf.add(tf.mul(scale, tf.sub(1, tf.square(squashed))), 1e-6));
      return tf.sum(tf.sub(gaussian, jacobian), 1, true) as tf.Tensor2D;
    });

  const agent: SacAgent = {
    observationSize,
    actionSize,
    actor,
    critics,
    criticsTarget,
    logAlpha,
    distribution,
    sample(observations, noise) {
      return tf.tidy(() => {
        const { mean, logStd } = distribution(observations);
        const x = tf.add(mean, tf.mul(tf.exp(logStd), noise)) as tf.Tensor2D;
        const y = tf.tanh(x);
        return {
          action: tf.add(tf.mul(y, scale), bias) as tf.Tensor2D,
          logProb: squashedLogProb(x, y, mean, logStd),
          meanAction: tf.add(tf.mul(tf.tanh(mean), scale), bias) as tf.Tensor2D,
        };
      });
    },
    logProbOf(observations, actions) {
      return tf.tidy(() => {
        const { mean, logStd } = distribution(observations);
        const y = tf.clipByValue(
          tf.div(tf.sub(actions, bias), scale),
          -SQUASH_LIMIT,
          SQUASH_LIMIT,
        ) as tf.Tensor2D;
        const x = tf.atanh(y) as tf.Tensor2D;
        return squashedLogProb(x, y, mean, logStd);
      });
    },
    meanAction(observations) {
      return tf.tidy(
        () => tf.add(tf.mul(tf.tanh(distribution(observations).mean), scale), bias) as tf.Tensor2D,
      );
    },
    q(network, observations, actions) {
      return tf.tidy(() => network.forward(tf.concat([observations, actions], 1)));
    },
    minQ(network, observations, actions) {
      return tf.tidy(
        () => tf.min(network.forward(tf.concat([observations, actions], 1)), 0) as tf.Tensor2D,
      );
    },
    getWeights() {
      return {
        ...actor.getWeights(),
        ...critics.getWeights(),
        ...criticsTarget.getWeights(),
        log_alpha: { shape: [], values: [logAlpha.dataSync()[0]!] },
      };
    },
    setWeights(weights) {
      actor.setWeights(weights);
      critics.setWeights(weights);
      criticsTarget.setWeights(weights);
      const saved = weights['log_alpha'];
      if (saved !== undefined) tf.tidy(() => logAlpha.assign(tf.scalar(saved.values[0]!)));
    },
    dispose() {
      for (const network of [actor, critics, criticsTarget]) network.dispose();
      logAlpha.dispose();
      scale.dispose();
      bias.dispose();
    },
  };
  return agent;
}

/** target ← tau · source + (1 - tau) · target, variable by variable (Polyak averaging). */
export function softUpdate(
  target: readonly tf.Variable[],
  source: readonly tf.Variable[],
  tau: number,
): void {
  tf.tidy(() => {
    target.forEach((t, i) => t.assign(tf.add(tf.mul(source[i]!, tau), tf.mul(t, 1 - tau))));
  });
}

function copyWeights(target: readonly tf.Variable[], source: readonly tf.Variable[]): void {
  softUpdate(target, source, 1);
}
