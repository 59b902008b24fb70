/**
 * @module
 * Soft Actor-Critic for continuous actions, after cleanrl's `sac_continuous_action.py`: twin
 * Q-networks with target copies updated by Polyak averaging, a tanh-squashed Gaussian actor
 * updated every `policyFrequency` steps (that many times, TD3-style), automatic entropy tuning
 * towards `-|A|`, and a uniform replay buffer. One environment, one gradient step per env step.
 *
 * Read top to bottom: arguments and defaults, the hooks a variant plugs in, the update, then
 * `train`. The networks and the policy's maths are the agent (`networks/sac-agent.ts`). VARL
 * (varl.ts) reuses this loop through two hooks: `afterStep` (to query the teacher at trigger
 * steps) and `loss` (its gated behaviour-cloning term on the actor).
 */
import * as tf from '@tensorflow/tfjs';
import { ReplayBuffer } from '../buffers/replay-buffer.ts';
import type { ReplayBatch } from '../buffers/replay-buffer.ts';
import { createCheckpoint } from '../checkpoints/checkpoint.ts';
import type { Env } from '../envs/env.ts';
import { makeEnv } from '../envs/make-env.ts';
import { EVAL_SEED_OFFSET, evaluateSacAgent } from '../evaluation/evaluate-sac-agent.ts';
import type { SacAgent } from '../networks/sac-agent.ts';
import { createSacAgent, softUpdate } from '../networks/sac-agent.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';
import { standardNormal } from '../random/standard-normal.ts';
import type { Scalars, TrainDependencies, TrainHooks } from './train-dependencies.ts';

export interface SacArgs {
  /** Registered environment id (a continuous-action task, e.g. `Physics-Push-v0`). */
  envId: string;
  /** Seeds the env, the network weights, exploration noise and replay sampling. */
  seed: number;
  /** Environment steps of the run. */
  totalTimesteps: number;
  /** Replay capacity (cleanrl: 1e6; our runs are shorter than that, so every transition stays). */
  bufferSize: number;
  /** Discount. */
  gamma: number;
  /** Polyak coefficient of the target networks. */
  tau: number;
  /** Transitions per gradient step (cleanrl: 256). */
  batchSize: number;
  /** Uniformly random actions before learning starts (cleanrl: 5e3, scaled to our budgets). */
  learningStarts: number;
  /** Actor Adam learning rate. */
  policyLr: number;
  /** Critic (and entropy temperature) Adam learning rate. */
  qLr: number;
  /** Env steps per gradient step (1 in cleanrl; 2 halves the update cost, see bench/physics.ts). */
  trainFrequency: number;
  /** Actor updates are delayed: every this many gradient steps, this many actor updates. */
  policyFrequency: number;
  /** Gradient steps between soft target updates. */
  targetNetworkFrequency: number;
  /** Entropy temperature when not autotuned. */
  alpha: number;
  /** Tune alpha so the policy's entropy tracks -|A|. */
  autotune: boolean;
  /**
   * Where autotuning starts. cleanrl starts at 1 (log alpha = 0), tuned for MuJoCo's rewards of
   * several units per step; our tasks pay at most 1 per episode, so at 1 the entropy bonus
   * (about 1 per step) swamps the reward and the policy stays near uniform for most of a run.
   * At 0.1, SAC solves dense Reach in 4,000 steps on 3 of 3 seeds (at 1: 0.40-0.60 success) and
   * Pendulum equally well (-172 vs -171): `npm run bench:learning`.
   */
  initialAlpha: number;
  /** Width of the two hidden layers of every network (cleanrl: 256; see bench/physics.ts). */
  hiddenSize: number;
  /** Steps between deterministic evaluations (0: none). */
  evalEvery: number;
  /** Episodes per evaluation, on fixed seeds so successive evaluations compare like for like. */
  evalEpisodes: number;
  /** Steps between loss / sps log lines. */
  logEvery: number;
  /** Steps between checkpoints handed to `dependencies.checkpoint` (0: only at the end). */
  checkpointEvery: number;
}

export const SAC_DEFAULTS: SacArgs = {
  envId: 'Physics-Reach-v0',
  seed: 1,
  totalTimesteps: 10_000,
  bufferSize: 100_000,
  gamma: 0.99,
  tau: 0.005,
  batchSize: 128,
  learningStarts: 1_000,
  policyLr: 3e-4,
  qLr: 1e-3,
  trainFrequency: 1,
  policyFrequency: 2,
  targetNetworkFrequency: 1,
  alpha: 0.2,
  autotune: true,
  initialAlpha: 0.1,
  hiddenSize: 64,
  evalEvery: 1_000,
  evalEpisodes: 10,
  logEvery: 500,
  checkpointEvery: 0,
};

export interface SacStepContext {
  step: number;
  agent: SacAgent;
  buffer: ReplayBuffer;
  env: Env<Float32Array, ArrayLike<number>>;
  log: (scalars: Scalars) => void;
}

/** How a variant (VARL) changes SAC without copying its loop: `afterStep` and an actor `loss` term. */
export type SacHooks = TrainHooks<{
  step: SacStepContext;
  loss: { step: number; agent: SacAgent; observations: tf.Tensor2D };
}>;

/** A variant of SAC: its name (written into checkpoints) and its hooks. */
export interface SacVariant {
  name: string;
  hooks: SacHooks;
}

export interface SacResult {
  /** The last evaluation's success rate (NaN without evaluations). */
  finalSuccessRate: number;
  finalReturn: number;
  steps: number;
  /** Seconds on the injected clock. */
  seconds: number;
}

// ---------------------------------------------------------------------------------------------
// The update.
// ---------------------------------------------------------------------------------------------

interface BatchTensors {
  observations: tf.Tensor2D;
  actions: tf.Tensor2D;
  rewards: tf.Tensor2D;
  nextObservations: tf.Tensor2D;
  dones: tf.Tensor2D;
}

function toTensors(batch: ReplayBatch, observationSize: number, actionSize: number): BatchTensors {
  const n = batch.size;
  return {
    observations: tf.tensor2d(batch.observations, [n, observationSize]),
    actions: tf.tensor2d(batch.actions, [n, actionSize]),
    rewards: tf.tensor2d(batch.rewards, [n, 1]),
    nextObservations: tf.tensor2d(batch.nextObservations, [n, observationSize]),
    dones: tf.tensor2d(batch.dones, [n, 1]),
  };
}

export interface SacOptimizers {
  q: tf.Optimizer;
  actor: tf.Optimizer;
  alpha: tf.Optimizer;
}

export function createSacOptimizers(args: Pick<SacArgs, 'policyLr' | 'qLr'>): SacOptimizers {
  return {
    q: tf.train.adam(args.qLr),
    actor: tf.train.adam(args.policyLr),
    alpha: tf.train.adam(args.qLr),
  };
}

export interface UpdateContext {
  agent: SacAgent;
  optimizers: SacOptimizers;
  args: SacArgs;
  random: NumpyGenerator;
  /** The current temperature, a plain number as cleanrl's `alpha = log_alpha.exp().item()`. */
  alpha: number;
  /** Environment steps so far (VARL's cutoff counts these). */
  step: number;
  /** Gradient steps so far (the policy and target frequencies count these). */
  update: number;
  hooks: SacHooks;
}

export interface UpdateLosses {
  qf1Loss: number;
  qf2Loss: number;
  qf1Value: number;
  actorLoss?: number;
  alphaLoss?: number;
  extraLoss?: number;
}

/**
 * One gradient step of SAC on a replay batch: critics every step, the actor (and alpha)
 * `policyFrequency` times every `policyFrequency` steps, targets every `targetNetworkFrequency`.
 * Returns the new alpha and, when `readLosses`, the losses (reading them synchronises).
 */
export function updateSac(
  context: UpdateContext,
  batch: ReplayBatch,
  readLosses: boolean,
): { alpha: number; losses?: UpdateLosses } {
  const { agent, optimizers, args, random, step, update, hooks } = context;
  let { alpha } = context;
  const { observationSize: o, actionSize: a } = agent;
  const n = batch.size;
  const losses: UpdateLosses = { qf1Loss: 0, qf2Loss: 0, qf1Value: 0 };
  const nextNoise = standardNormal(random, n * a);
  tf.tidy(() => {
    const t = toTensors(batch, o, a);
    const { action: nextActions, logProb: nextLogProb } = agent.sample(
      t.nextObservations,
      tf.tensor2d(nextNoise, [n, a]),
    );
    const minTargetQ = tf.sub(
      agent.minQ(agent.criticsTarget, t.nextObservations, nextActions),
      tf.mul(alpha, nextLogProb),
    );
    const target = tf.add(t.rewards, tf.mul(tf.sub(1, t.dones), tf.mul(args.gamma, minTargetQ)));
    let perCritic: tf.Tensor1D | undefined;
    let qMeans: tf.Tensor1D | undefined;
    const qLoss = optimizers.q.minimize(
      () => {
        const q = agent.q(agent.critics, t.observations, t.actions);
        // mse(qf1) + mse(qf2), as cleanrl's qf_loss.
        const squared = tf.square(tf.sub(q, target));
        if (readLosses) {
          perCritic = tf.keep(tf.mean(squared, [1, 2]) as tf.Tensor1D);
          qMeans = tf.keep(tf.mean(q, [1, 2]) as tf.Tensor1D);
        }
        return tf.mul(2, tf.mean(squared)) as tf.Scalar;
      },
      true,
      agent.critics.variables,
    );
    qLoss?.dispose();
    const kept = [perCritic, qMeans] as (tf.Tensor1D | undefined)[];
    if (readLosses && kept[0] && kept[1]) {
      const [l1, l2] = kept[0].dataSync();
      losses.qf1Loss = l1!;
      losses.qf2Loss = l2!;
      losses.qf1Value = kept[1].dataSync()[0]!;
      tf.dispose([kept[0], kept[1]]);
    }
  });

  if (update % args.policyFrequency === 0) {
    for (let k = 0; k < args.policyFrequency; k++) {
      const noise = standardNormal(random, n * a);
      const alphaNoise = args.autotune ? standardNormal(random, n * a) : undefined;
      tf.tidy(() => {
        const observations = tf.tensor2d(batch.observations, [n, o]);
        let extra: tf.Scalar | null = null;
        const actorLoss = optimizers.actor.minimize(
          () => {
            const { action, logProb } = agent.sample(observations, tf.tensor2d(noise, [n, a]));
            const minQ = agent.minQ(agent.critics, observations, action);
            const sacLoss = tf.mean(tf.sub(tf.mul(alpha, logProb), minQ)) as tf.Scalar;
            extra = hooks.loss?.({ step, agent, observations }) ?? null;
            if (extra === null) return sacLoss;
            if (readLosses) extra = tf.keep(extra.clone());
            return tf.add(sacLoss, extra);
          },
          true,
          agent.actor.variables,
        );
        if (readLosses && actorLoss) losses.actorLoss = actorLoss.dataSync()[0]!;
        const kept = extra as tf.Scalar | null;
        if (readLosses && kept !== null) {
          losses.extraLoss = kept.dataSync()[0]!;
          kept.dispose();
        }
        actorLoss?.dispose();
        if (alphaNoise) {
          // cleanrl draws a fresh sample for the temperature's loss; log pi is a constant here.
          const { logProb } = agent.sample(observations, tf.tensor2d(alphaNoise, [n, a]));
          const entropyGap = tf.add(logProb, -agent.actionSize);
          const alphaLoss = optimizers.alpha.minimize(
            () => tf.mean(tf.mul(tf.neg(tf.exp(agent.logAlpha)), entropyGap)) as tf.Scalar,
            true,
            [agent.logAlpha],
          );
          if (readLosses && alphaLoss) losses.alphaLoss = alphaLoss.dataSync()[0]!;
          alphaLoss?.dispose();
          alpha = Math.exp(agent.logAlpha.dataSync()[0]!);
        }
      });
    }
  }
  if (update % args.targetNetworkFrequency === 0) {
    softUpdate(agent.criticsTarget.variables, agent.critics.variables, args.tau);
  }
  return readLosses ? { alpha, losses } : { alpha };
}

// ---------------------------------------------------------------------------------------------
// The training loop.
// ---------------------------------------------------------------------------------------------

/**
 * Trains SAC; the caller owns every effect (clock, logger, progress, checkpoints) through
 * `dependencies`, and a variant's changes come in through `variant.hooks`. The TensorFlow.js
 * backend must be set up first (`setUpBackend`).
 *
 * @example
 * const clock = { now: () => performance.now() }
 * const result = await train({ ...SAC_DEFAULTS, totalTimesteps: 5000 }, { clock, logger: { log: (step, scalars) => console.log(step, scalars) } })
 */
export async function train(
  args: SacArgs,
  dependencies: TrainDependencies & {
    /** Builds the environment (a task outside the registry: the learning checks); default makeEnv. */
    makeEnv?(id: string, seed: number): Env<Float32Array, ArrayLike<number>>;
  },
  variant: SacVariant = { name: 'sac', hooks: {} },
): Promise<SacResult> {
  const { clock, logger } = dependencies;
  const { hooks } = variant;
  const started = clock.now();
  const build =
    dependencies.makeEnv ??
    ((id: string, seed: number) => makeEnv(id, { seed }) as Env<Float32Array, ArrayLike<number>>);
  const env = build(args.envId, args.seed);
  if (env.actionSpace.kind !== 'continuous')
    throw new RangeError(`${args.envId} has discrete actions; SAC here needs continuous ones`);
  const { low, high } = env.actionSpace;
  const evalEnvs =
    args.evalEvery > 0
      ? Array.from({ length: args.evalEpisodes }, (_, i) =>
          build(args.envId, args.seed + EVAL_SEED_OFFSET + i),
        )
      : [];
  const random = new NumpyGenerator(args.seed);
  let observation = env.reset(args.seed).observation;
  const agent = createSacAgent({
    observationSize: observation.length,
    low,
    high,
    hiddenSize: args.hiddenSize,
    random,
  });
  const optimizers = createSacOptimizers(args);
  const buffer = new ReplayBuffer({
    capacity: args.bufferSize,
    observationSize: agent.observationSize,
    actionSize: agent.actionSize,
  });
  let alpha = args.autotune ? args.initialAlpha : args.alpha;
  tf.tidy(() => agent.logAlpha.assign(tf.scalar(Math.log(alpha))));
  let updates = 0;
  let episodeReturn = 0;
  let episodeLength = 0;
  let lastEval = { successRate: Number.NaN, meanReturn: Number.NaN };
  let windowStart = clock.now();
  let windowStartStep = 0;

  const saveCheckpoint = async (step: number) => {
    if (!dependencies.checkpoint) return;
    await dependencies.checkpoint(
      createCheckpoint({
        algorithm: variant.name,
        envId: args.envId,
        step,
        policy: {
          kind: 'squashed-gaussian',
          observationSize: agent.observationSize,
          low: [...low],
          high: [...high],
          hiddenSize: args.hiddenSize,
        },
        weights: agent.getWeights(),
        args,
      }),
    );
  };

  const runEvaluation = (step: number) => {
    const result = evaluateSacAgent(agent, evalEnvs, args.seed + EVAL_SEED_OFFSET);
    lastEval = result;
    logger.log(step, {
      'eval/success_rate': result.successRate,
      'eval/episodic_return': result.meanReturn,
      'eval/episodic_length': result.meanLength,
    });
  };

  try {
    for (let globalStep = 0; globalStep < args.totalTimesteps; globalStep++) {
      // Act: uniformly at random until learning starts, then from the squashed Gaussian.
      let action: Float32Array;
      if (globalStep < args.learningStarts) {
        action = Float32Array.from(low, (lo, i) => random.uniform(lo, high[i]!));
      } else {
        const noise = standardNormal(random, agent.actionSize);
        action = tf.tidy(
          () =>
            agent
              .sample(
                tf.tensor2d(observation, [1, agent.observationSize]),
                tf.tensor2d(noise, [1, agent.actionSize]),
              )
              .action.dataSync() as Float32Array,
        );
      }
      const result = env.step(action);
      episodeReturn += result.reward;
      episodeLength += 1;
      // Store the real next observation; `done` is termination only (time limits bootstrap).
      buffer.add({
        observation,
        action,
        reward: result.reward,
        nextObservation: result.observation,
        done: result.terminated,
      });
      if (result.terminated || result.truncated) {
        logger.log(globalStep + 1, {
          'charts/episodic_return': episodeReturn,
          'charts/episodic_length': episodeLength,
          'charts/success': result.info['success'] === true ? 1 : 0,
        });
        episodeReturn = 0;
        episodeLength = 0;
        observation = env.reset().observation;
      } else {
        observation = result.observation;
      }
      await hooks.afterStep?.({
        step: globalStep + 1,
        agent,
        buffer,
        env,
        log: (scalars) => logger.log(globalStep + 1, scalars),
      });

      if (globalStep >= args.learningStarts && (globalStep + 1) % args.trainFrequency === 0) {
        const readLosses =
          updates % Math.max(1, Math.round(args.logEvery / args.trainFrequency)) === 0;
        const update = updateSac(
          { agent, optimizers, args, random, alpha, step: globalStep + 1, update: updates, hooks },
          buffer.sample(args.batchSize, random),
          readLosses,
        );
        updates += 1;
        alpha = update.alpha;
        if (update.losses) {
          const l = update.losses;
          const now = clock.now();
          const scalars: Scalars = {
            'losses/qf1_loss': l.qf1Loss,
            'losses/qf2_loss': l.qf2Loss,
            'losses/qf1_values': l.qf1Value,
            'losses/alpha': alpha,
            // max: a test's fake clock may not move.
            'charts/sps':
              ((globalStep + 1 - windowStartStep) * 1000) / Math.max(now - windowStart, 1),
          };
          if (l.actorLoss !== undefined) scalars['losses/actor_loss'] = l.actorLoss;
          if (l.alphaLoss !== undefined) scalars['losses/alpha_loss'] = l.alphaLoss;
          if (l.extraLoss !== undefined) scalars['losses/guidance_loss'] = l.extraLoss;
          logger.log(globalStep + 1, scalars);
          windowStart = now;
          windowStartStep = globalStep + 1;
        }
      }
      if (args.evalEvery > 0 && (globalStep + 1) % args.evalEvery === 0)
        runEvaluation(globalStep + 1);
      if (args.checkpointEvery > 0 && (globalStep + 1) % args.checkpointEvery === 0) {
        await saveCheckpoint(globalStep + 1);
      }
      dependencies.progress?.({ step: globalStep + 1, totalSteps: args.totalTimesteps });
    }
    if (args.evalEvery > 0 && args.totalTimesteps % args.evalEvery !== 0)
      runEvaluation(args.totalTimesteps);
    await saveCheckpoint(args.totalTimesteps);
  } finally {
    await hooks.dispose?.();
    agent.dispose();
    for (const optimizer of [optimizers.q, optimizers.actor, optimizers.alpha]) optimizer.dispose();
    for (const e of [env, ...evalEnvs]) (e as { close?: () => void }).close?.();
  }
  return {
    finalSuccessRate: lastEval.successRate,
    finalReturn: lastEval.meanReturn,
    steps: args.totalTimesteps,
    seconds: (clock.now() - started) / 1000,
  };
}
