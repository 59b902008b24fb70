/**
 * @module
 * PPO for the grid worlds, in the torch-ac / rl-starter-files lineage that the LVLM2P release
 * builds on, read top to bottom (cleanrl style): arguments and their defaults, the rollout, GAE,
 * the clipped update, logging. LVLM2P (`lvlm2p.ts`) adds its distillation term through the
 * hooks of a `PpoVariant` and changes nothing else.
 */
import * as tf from '@tensorflow/tfjs';
import type { GridWorldEnv } from '../envs/grid-world/grid-world-env.ts';
import type { GridObservation } from '../envs/grid-world/observation.ts';
import { makeEnv } from '../envs/make-env.ts';
import { createCheckpoint } from '../checkpoints/checkpoint.ts';
import type { ActorCritic } from '../networks/actor-critic.ts';
import { createActorCritic } from '../networks/actor-critic.ts';
import type { MissionVocabulary } from '../networks/mission-vocabulary.ts';
import { createMissionVocabulary } from '../networks/mission-vocabulary.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';
import type { Scalars, TrainDependencies, TrainHooks } from './train-dependencies.ts';

export interface PpoArgs {
  /** Environment id, e.g. `MiniGrid-DoorKey-5x5-v0`. */
  envId: string;
  /** Seeds the environments (`seed + 10000 * i`, as the release does), the weights and every draw. */
  seed: number;
  /** Environment steps ("frames") to train for, all environments together; rounded up to whole rollouts. */
  totalTimesteps: number;
  /** Parallel environments (the release: `--procs 3`). */
  numEnvs: number;
  /** Steps per environment per rollout (torch-ac's `frames_per_proc`, 128 for PPO). */
  numSteps: number;
  /** Discount factor. */
  gamma: number;
  /** GAE lambda. */
  gaeLambda: number;
  /** Adam learning rate (constant, as in torch-ac). */
  learningRate: number;
  /** Adam epsilon. */
  adamEps: number;
  /** Passes over each rollout. */
  updateEpochs: number;
  /** Samples per gradient step; the last minibatch of an epoch takes the remainder (torch-ac). */
  minibatchSize: number;
  /** PPO clip range, applied to the ratio and to the value change. */
  clipCoef: number;
  /** Entropy bonus coefficient. */
  entCoef: number;
  /** Value loss coefficient. */
  vfCoef: number;
  /** Global gradient-norm clip. */
  maxGradNorm: number;
  /** Normalise advantages per minibatch (cleanrl does; torch-ac and the release do not). */
  normAdvantages: boolean;
  /** Student torso: `cnn` (rl-starter-files' image_conv) or `mlp`. */
  network: 'cnn' | 'mlp';
  /** Mission encoder: a bag-of-words embedding (the release used a GRU), or none. */
  missionEncoder: 'bag-of-words' | 'none';
  /** Word slots of the mission vocabulary. */
  vocabularySize: number;
  /** Save a checkpoint every N updates (0: only at the end). */
  checkpointEvery: number;
}

export const PPO_DEFAULTS: PpoArgs = {
  envId: 'MiniGrid-DoorKey-5x5-v0',
  seed: 1,
  totalTimesteps: 100_000,
  numEnvs: 3,
  numSteps: 128,
  gamma: 0.99,
  gaeLambda: 0.95,
  learningRate: 1e-3,
  adamEps: 1e-8,
  updateEpochs: 4,
  minibatchSize: 256,
  clipCoef: 0.2,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  normAdvantages: false,
  network: 'cnn',
  missionEncoder: 'bag-of-words',
  vocabularySize: 64,
  checkpointEvery: 0,
};

/** Named settings: `released` is the LVLM2P release (the defaults); `rl-starter-files` its upstream default of 16 processes. */
export const PPO_PRESETS: Record<string, Partial<PpoArgs>> = {
  released: {},
  'rl-starter-files': { numEnvs: 16 },
};

/** One rollout, handed to `beforeUpdate` (LVLM2P's teacher round) before its update. */
export interface GuidanceRollout {
  update: number;
  /** Environment steps so far. */
  step: number;
  /** Sample `s` is step `floor(s / numEnvs)` of environment `s % numEnvs`. */
  batchSize: number;
  images: Float32Array;
  missions: Float32Array;
}

/**
 * How LVLM2P adds its distillation term to PPO; PPO runs without hooks. `observe` sees each
 * sample, with its environment in that state, before the policy acts on it; `afterStep` runs
 * between rollout steps (a promise when pending teacher work needs the event loop); `loss` is
 * added to one minibatch's loss inside the gradient tape.
 */
export type PpoHooks = TrainHooks<{
  observe: { sample: number; env: GridWorldEnv; observation: GridObservation };
  step: { step: number };
  update: GuidanceRollout;
  loss: { logits: tf.Tensor2D; indices: tf.Tensor1D; model: ActorCritic };
}>;

/** A variant of PPO: its name (written into checkpoints) and its hooks. */
export interface PpoVariant {
  name: string;
  hooks: PpoHooks;
}

export interface PpoResult {
  model: ActorCritic;
  vocabulary: MissionVocabulary;
  /** Environment steps taken (whole rollouts, so at least `totalTimesteps`). */
  steps: number;
  updates: number;
  /** The last `charts/episodic_return` logged. */
  finalReturn: number;
}

const OBSERVATION_SIZE = 147;

/**
 * Trains a student with PPO. Everything with an effect (files, sockets, the clock) comes in
 * through `dependencies`, a variant's changes through `variant.hooks`; the caller sets the
 * TensorFlow.js backend and disposes `model`.
 *
 * @example
 * const clock = { now: () => performance.now() }
 * const result = await train({ ...PPO_DEFAULTS, totalTimesteps: 20_000 }, { clock, logger: { log: (step, scalars) => console.log(step, scalars) } })
 */
export async function train(
  args: PpoArgs,
  dependencies: TrainDependencies,
  variant: PpoVariant = { name: 'ppo', hooks: {} },
): Promise<PpoResult> {
  const { clock, logger } = dependencies;
  const hooks = variant.hooks;
  const random = new NumpyGenerator(args.seed);
  const envs = Array.from({ length: args.numEnvs }, (_, i) =>
    makeEnv(args.envId as `MiniGrid-${string}`, { seed: args.seed + 10_000 * i }),
  );
  const numActions = envs[0]!.actionSpace.kind === 'discrete' ? envs[0]!.actionSpace.n : 0;
  const vocabulary = createMissionVocabulary(args.vocabularySize);
  const model = createActorCritic({
    kind: args.network,
    numActions,
    missionEncoder: args.missionEncoder,
    vocabularySize: args.vocabularySize,
    seed: args.seed,
  });
  const optimizer = tf.train.adam(args.learningRate, 0.9, 0.999, args.adamEps);

  // Rollout storage, sample s = t * numEnvs + i.
  const batchSize = args.numEnvs * args.numSteps;
  const V = args.vocabularySize;
  const images = new Float32Array(batchSize * OBSERVATION_SIZE);
  const missions = new Float32Array(batchSize * V);
  const actions = new Int32Array(batchSize);
  const logProbs = new Float32Array(batchSize);
  const values = new Float32Array(batchSize);
  const rewards = new Float32Array(batchSize);
  const dones = new Float32Array(batchSize);

  const observations: GridObservation[] = envs.map((env) => env.reset().observation);
  const episodeReturn = new Float64Array(args.numEnvs);
  const episodeLength = new Int32Array(args.numEnvs);
  // torch-ac logs the last max(episodes this update, numEnvs) episodes, starting from zeros.
  const recentReturns: number[] = new Array<number>(args.numEnvs).fill(0);
  const recentLengths: number[] = new Array<number>(args.numEnvs).fill(0);

  const start = clock.now();
  const numUpdates = Math.ceil(args.totalTimesteps / batchSize);
  let frames = 0;
  let finalReturn = 0;
  for (let update = 1; update <= numUpdates; update++) {
    // 1. Rollout: numSteps steps of every environment; a finished episode resets at once (torch-ac).
    let episodesDone = 0;
    for (let t = 0; t < args.numSteps; t++) {
      for (let i = 0; i < args.numEnvs; i++) {
        const sample = t * args.numEnvs + i;
        const observation = observations[i]!;
        for (let k = 0; k < OBSERVATION_SIZE; k++)
          images[sample * OBSERVATION_SIZE + k] = observation.image[k]!;
        vocabulary.encode(observation.mission, missions, sample * V);
        hooks.observe?.({ sample, env: envs[i]!, observation });
      }
      const rows = t * args.numEnvs;
      const { probabilities, stepValues } = tf.tidy(() => {
        const output = model.forward(
          tf.tensor2d(
            images.subarray(rows * OBSERVATION_SIZE, (rows + args.numEnvs) * OBSERVATION_SIZE),
            [args.numEnvs, OBSERVATION_SIZE],
          ),
          tf.tensor2d(missions.subarray(rows * V, (rows + args.numEnvs) * V), [args.numEnvs, V]),
        );
        return {
          probabilities: tf.softmax(output.logits).dataSync(),
          stepValues: output.values.dataSync(),
        };
      });
      for (let i = 0; i < args.numEnvs; i++) {
        const sample = rows + i;
        const action = sampleCategorical(
          probabilities,
          i * numActions,
          numActions,
          random.random(),
        );
        actions[sample] = action;
        logProbs[sample] = Math.log(Math.max(probabilities[i * numActions + action]!, 1e-30));
        values[sample] = stepValues[i]!;
        const step = envs[i]!.step(action);
        rewards[sample] = step.reward;
        episodeReturn[i]! += step.reward;
        episodeLength[i]! += 1;
        const done = step.terminated || step.truncated;
        dones[sample] = done ? 1 : 0;
        if (done) {
          recentReturns.push(episodeReturn[i]!);
          recentLengths.push(episodeLength[i]!);
          episodesDone += 1;
          episodeReturn[i] = 0;
          episodeLength[i] = 0;
          observations[i] = envs[i]!.reset().observation;
        } else {
          observations[i] = step.observation;
        }
      }
      // Lets a teacher round in flight (sockets, the in-process gateway) progress during the rollout.
      const idle = hooks.afterStep?.({ step: frames + rows + args.numEnvs });
      if (idle) await idle;
    }
    frames += batchSize;

    // 2. Advantages: GAE, bootstrapped from the value of the observation after the rollout.
    const lastValues = tf.tidy(() => {
      const lastImages = new Float32Array(args.numEnvs * OBSERVATION_SIZE);
      const lastMissions = new Float32Array(args.numEnvs * V);
      observations.forEach((observation, i) => {
        lastImages.set(observation.image, i * OBSERVATION_SIZE);
        vocabulary.encode(observation.mission, lastMissions, i * V);
      });
      return model
        .forward(
          tf.tensor2d(lastImages, [args.numEnvs, OBSERVATION_SIZE]),
          tf.tensor2d(lastMissions, [args.numEnvs, V]),
        )
        .values.dataSync();
    });
    const advantages = computeGae({
      rewards,
      values,
      dones,
      lastValues: Float32Array.from(lastValues),
      numEnvs: args.numEnvs,
      gamma: args.gamma,
      gaeLambda: args.gaeLambda,
    });
    const returns = advantages.map((advantage, s) => advantage + values[s]!);

    // 3. The teacher's round (LVLM2P); PPO has none.
    await hooks.beforeUpdate?.({ update, step: frames, batchSize, images, missions });

    // 4. Update: epochs of shuffled minibatches, clipped surrogate, clipped value loss, entropy bonus.
    const batch = {
      images: tf.tensor2d(images, [batchSize, OBSERVATION_SIZE]),
      missions: tf.tensor2d(missions, [batchSize, V]),
      actions: tf.tensor1d(actions, 'int32'),
      logProbs: tf.tensor1d(logProbs),
      advantages: tf.tensor1d(advantages),
      returns: tf.tensor1d(returns),
      values: tf.tensor1d(values),
    };
    const sums = {
      policy: 0,
      value: 0,
      entropy: 0,
      approxKl: 0,
      clipFraction: 0,
      gradNorm: 0,
      guidance: 0,
      steps: 0,
    };
    const order = Array.from({ length: batchSize }, (_, s) => s);
    for (let epoch = 0; epoch < args.updateEpochs; epoch++) {
      random.shuffle(order);
      for (let begin = 0; begin < batchSize; begin += args.minibatchSize) {
        const stats = tf.tidy(() => {
          const indices = tf.tensor1d(order.slice(begin, begin + args.minibatchSize), 'int32');
          const mbAdvantages = tf.gather(batch.advantages, indices);
          const advantage = args.normAdvantages
            ? tf.div(
                tf.sub(mbAdvantages, mbAdvantages.mean()),
                tf.add(tf.moments(mbAdvantages).variance.sqrt(), 1e-8),
              )
            : mbAdvantages;
          const terms: tf.Scalar[] = [];
          const { value: loss, grads } = optimizer.computeGradients(() => {
            const { logits, values: newValues } = model.forward(
              tf.gather(batch.images, indices),
              tf.gather(batch.missions, indices),
            );
            const logPolicy = tf.logSoftmax(logits);
            const newLogProb = tf.sum(
              tf.mul(logPolicy, tf.oneHot(tf.gather(batch.actions, indices), numActions)),
              1,
            );
            const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logPolicy), logPolicy), 1)).mean();
            const logRatio = tf.sub(newLogProb, tf.gather(batch.logProbs, indices));
            const ratio = tf.exp(logRatio);
            const policyLoss = tf.neg(
              tf
                .minimum(
                  tf.mul(ratio, advantage),
                  tf.mul(tf.clipByValue(ratio, 1 - args.clipCoef, 1 + args.clipCoef), advantage),
                )
                .mean(),
            );
            const oldValues = tf.gather(batch.values, indices);
            const mbReturns = tf.gather(batch.returns, indices);
            const clippedValues = tf.add(
              oldValues,
              tf.clipByValue(tf.sub(newValues, oldValues), -args.clipCoef, args.clipCoef),
            );
            const valueLoss = tf
              .maximum(
                tf.squaredDifference(newValues, mbReturns),
                tf.squaredDifference(clippedValues, mbReturns),
              )
              .mean();
            const guidanceLoss = hooks.loss?.({ logits, indices, model });
            let total = tf.add(
              tf.sub(policyLoss, tf.mul(args.entCoef, entropy)),
              tf.mul(args.vfCoef, valueLoss),
            );
            if (guidanceLoss) total = tf.add(total, guidanceLoss);
            const approxKl = tf.sub(tf.sub(ratio, 1), logRatio).mean();
            const clipFraction = tf
              .greater(tf.abs(tf.sub(ratio, 1)), args.clipCoef)
              .toFloat()
              .mean();
            terms.push(
              ...[
                policyLoss,
                valueLoss,
                entropy,
                approxKl,
                clipFraction,
                guidanceLoss ?? tf.scalar(0),
              ].map((term) => tf.keep(term as tf.Scalar)),
            );
            return total as tf.Scalar;
          });
          // torch's clip_grad_norm_: scale every gradient by max_norm / (norm + 1e-6) when that is < 1.
          const gradNorm = tf.sqrt(
            tf.addN(Object.values(grads).map((grad) => tf.sum(tf.square(grad)))),
          );
          const scale = tf.minimum(1, tf.div(args.maxGradNorm, tf.add(gradNorm, 1e-6)));
          optimizer.applyGradients(
            Object.fromEntries(
              Object.entries(grads).map(([name, grad]) => [name, tf.mul(grad, scale)]),
            ),
          );
          loss.dispose();
          const values = tf.stack([...terms, gradNorm]).dataSync();
          tf.dispose(terms);
          return values;
        });
        sums.policy += stats[0]!;
        sums.value += stats[1]!;
        sums.entropy += stats[2]!;
        sums.approxKl += stats[3]!;
        sums.clipFraction += stats[4]!;
        sums.guidance += stats[5]!;
        sums.gradNorm += stats[6]!;
        sums.steps += 1;
      }
    }
    tf.dispose(Object.values(batch));

    // 5. Logging, cleanrl's keys.
    const keep = Math.max(episodesDone, args.numEnvs);
    recentReturns.splice(0, recentReturns.length - keep);
    recentLengths.splice(0, recentLengths.length - keep);
    finalReturn = mean(recentReturns);
    const elapsed = Math.max(clock.now() - start, 1) / 1000;
    const metrics: Scalars = {
      update,
      'charts/episodic_return': finalReturn,
      'charts/episodic_length': mean(recentLengths),
      'charts/success_rate': mean(recentReturns.map((value) => (value > 0 ? 1 : 0))),
      'charts/episodes': episodesDone,
      'charts/sps': Math.round(frames / elapsed),
      'charts/learning_rate': args.learningRate,
      'losses/policy_loss': sums.policy / sums.steps,
      'losses/value_loss': sums.value / sums.steps,
      'losses/entropy': sums.entropy / sums.steps,
      'losses/approx_kl': sums.approxKl / sums.steps,
      'losses/clipfrac': sums.clipFraction / sums.steps,
      'losses/grad_norm': sums.gradNorm / sums.steps,
      ...(hooks.loss ? { 'losses/distill_loss': sums.guidance / sums.steps } : {}),
      ...hooks.metrics?.(),
    };
    logger.log(frames, metrics);
    dependencies.progress?.({ step: frames, totalSteps: numUpdates * batchSize });
    const last = update === numUpdates;
    if (
      dependencies.checkpoint &&
      (last || (args.checkpointEvery > 0 && update % args.checkpointEvery === 0))
    ) {
      await dependencies.checkpoint(
        createCheckpoint({
          algorithm: variant.name,
          envId: args.envId,
          step: frames,
          policy: {
            kind: 'actor-critic',
            network: model.options,
            vocabulary: [...vocabulary.words],
          },
          weights: model.getWeights(),
          args,
        }),
      );
    }
  }
  optimizer.dispose();
  await hooks.dispose?.();
  return { model, vocabulary, steps: frames, updates: numUpdates, finalReturn };
}

export interface GaeInput {
  /** [numSteps * numEnvs], sample t * numEnvs + i. */
  rewards: Float32Array;
  values: Float32Array;
  /** 1 where the episode ended with this step (the next sample starts a new episode). */
  dones: Float32Array;
  /** [numEnvs]: the value of each environment's observation after the rollout. */
  lastValues: Float32Array;
  numEnvs: number;
  gamma: number;
  gaeLambda: number;
}

/**
 * Generalised advantage estimation as torch-ac computes it: `delta_t = r_t + gamma * V_{t+1} *
 * (1 - done_t) - V_t` and `A_t = delta_t + gamma * lambda * (1 - done_t) * A_{t+1}`. A time-limit
 * truncation counts as an ending too (torch-ac does not bootstrap it).
 *
 * @example
 * computeGae({ rewards, values, dones, lastValues, numEnvs: 3, gamma: 0.99, gaeLambda: 0.95 })
 */
export function computeGae(input: GaeInput): Float32Array {
  const { rewards, values, dones, lastValues, numEnvs, gamma, gaeLambda } = input;
  const numSteps = rewards.length / numEnvs;
  const advantages = new Float32Array(rewards.length);
  for (let i = 0; i < numEnvs; i++) {
    let nextAdvantage = 0;
    let nextValue = lastValues[i]!;
    for (let t = numSteps - 1; t >= 0; t--) {
      const s = t * numEnvs + i;
      const notDone = 1 - dones[s]!;
      const delta = rewards[s]! + gamma * nextValue * notDone - values[s]!;
      nextAdvantage = delta + gamma * gaeLambda * notDone * nextAdvantage;
      advantages[s] = nextAdvantage;
      nextValue = values[s]!;
    }
  }
  return advantages;
}

function sampleCategorical(
  probabilities: ArrayLike<number>,
  offset: number,
  n: number,
  uniform: number,
): number {
  let cumulative = 0;
  for (let a = 0; a < n; a++) {
    cumulative += probabilities[offset + a]!;
    if (uniform < cumulative) return a;
  }
  return n - 1;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
