/**
 * @module
 * Soft Actor-Critic for continuous actions, after cleanrl's `sac_continuous_action.py`: twin
 * Q-networks with target copies updated by Polyak averaging, a tanh-squashed Gaussian actor
 * updated every `policyFrequency` steps (that many times, TD3-style), automatic entropy tuning
 * towards `-|A|`, and a uniform replay buffer. One environment, one gradient step per env step.
 *
 * Read top to bottom: arguments and defaults, the networks, the policy's maths, the update
 * kernels, then `train`. VARL (varl.ts) reuses this loop through two hooks: `afterStep` (to
 * query the teacher at trigger steps) and `actorLossExtra` (its gated behaviour-cloning term).
 */
import * as tf from '@tensorflow/tfjs';
import { ReplayBuffer } from '../buffers/replay-buffer.ts';
import type { ReplayBatch } from '../buffers/replay-buffer.ts';
import type { Env } from '../envs/env.ts';
import { makeEnv } from '../envs/make-env.ts';
import type { EnsembleMlp } from '../networks/ensemble-mlp.ts';
import { createEnsembleMlp } from '../networks/ensemble-mlp.ts';
import type { Mlp } from '../networks/mlp.ts';
import { createMlp, variableFrom } from '../networks/mlp.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';

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
  /** Tune alpha so the policy's entropy tracks -|A| (cleanrl starts log alpha at 0). */
  autotune: boolean;
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
  hiddenSize: 64,
  evalEvery: 1_000,
  evalEpisodes: 10,
  logEvery: 500,
  checkpointEvery: 0,
};

/** What a run hands back to its caller at an evaluation, log line or episode end. */
export type Scalars = Record<string, number>;

export interface SacHookContext {
  step: number;
  agent: SacAgent;
  buffer: ReplayBuffer;
  env: Env<Float32Array, ArrayLike<number>>;
  log: (scalars: Scalars) => void;
}

/** How a variant (VARL) changes SAC without copying its loop. */
export interface SacHooks {
  /** After each environment step (and its replay insert), before the gradient step; awaited. */
  afterStep?(context: SacHookContext): Promise<void> | void;
  /** Added to the actor loss inside the gradient tape; `null` adds nothing. */
  actorLossExtra?(context: {
    step: number;
    agent: SacAgent;
    observations: tf.Tensor2D;
  }): tf.Scalar | null;
}

export interface SacDependencies {
  /** Receives every scalar of the run with its global step (metrics JSONL, tests). */
  log(step: number, scalars: Scalars): void;
  /** Called every step with the global step (a progress bar). */
  progress?(step: number): void;
  /** Receives the agent's weights at `checkpointEvery` and at the end. */
  checkpoint?(step: number, weights: SacWeights): void | Promise<void>;
  /** Builds the environment; default `makeEnv`. */
  makeEnv?(id: string, seed: number): Env<Float32Array, ArrayLike<number>>;
  hooks?: SacHooks;
}

export interface SacResult {
  /** The last evaluation's success rate (NaN without evaluations). */
  finalSuccessRate: number;
  finalReturn: number;
  steps: number;
  /** Seconds of wall time. */
  seconds: number;
}

// ---------------------------------------------------------------------------------------------
// Networks: cleanrl's SoftQNetwork (obs ⊕ action → 256 → 256 → 1), twice, here as one ensemble
// of two (qf1, qf2 = its members), and Actor (obs → 256 → 256 → mean, log std), here as one
// MLP whose last layer holds both heads.
// ---------------------------------------------------------------------------------------------

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
    dispose() {
      for (const network of [actor, critics, criticsTarget]) network.dispose();
      logAlpha.dispose();
      scale.dispose();
      bias.dispose();
    },
  };
  return agent;
}

// ---------------------------------------------------------------------------------------------
// Update kernels.
// ---------------------------------------------------------------------------------------------

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

/** `n` draws of N(0, 1) by Box–Muller from the run's generator, so noise is seeded like everything else. */
export function standardNormal(random: NumpyGenerator, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - random.random();
    const u2 = random.random();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

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
            extra = hooks.actorLossExtra?.({ step, agent, observations }) ?? null;
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
// Evaluation: the greedy policy on fixed episode seeds, all episodes stepped together so the
// actor runs once per step on a batch.
// ---------------------------------------------------------------------------------------------

const EVAL_SEED_OFFSET = 1_000_000;

export function evaluate(
  agent: SacAgent,
  envs: readonly Env<Float32Array, ArrayLike<number>>[],
  seed: number,
): { successRate: number; meanReturn: number; meanLength: number } {
  const n = envs.length;
  const observations = envs.map((env, i) => env.reset(seed + EVAL_SEED_OFFSET + i).observation);
  const running = new Array<boolean>(n).fill(true);
  const returns = new Array<number>(n).fill(0);
  const lengths = new Array<number>(n).fill(0);
  const successes = new Array<boolean>(n).fill(false);
  const o = agent.observationSize;
  while (running.some(Boolean)) {
    const flat = new Float32Array(n * o);
    observations.forEach((obs, i) => flat.set(obs, i * o));
    const actions = tf.tidy(() => agent.meanAction(tf.tensor2d(flat, [n, o])).dataSync());
    envs.forEach((env, i) => {
      if (!running[i]) return;
      const result = env.step(actions.subarray(i * agent.actionSize, (i + 1) * agent.actionSize));
      observations[i] = result.observation;
      returns[i]! += result.reward;
      lengths[i]! += 1;
      if (result.info['success'] === true) successes[i] = true;
      if (result.terminated || result.truncated) running[i] = false;
    });
  }
  const mean = (values: number[]) => values.reduce((x, y) => x + y, 0) / values.length;
  return {
    successRate: mean(successes.map(Number)),
    meanReturn: mean(returns),
    meanLength: mean(lengths),
  };
}

// ---------------------------------------------------------------------------------------------
// The training loop.
// ---------------------------------------------------------------------------------------------

/**
 * Trains SAC; the caller owns every effect (files, progress bar, teacher) through `dependencies`.
 * The TensorFlow.js backend must be set up first (`setUpBackend`).
 *
 * @example
 * const result = await train({ ...SAC_DEFAULTS, envId: 'Physics-Reach-v0', totalTimesteps: 5000 }, { log: console.log })
 */
export async function train(args: SacArgs, dependencies: SacDependencies): Promise<SacResult> {
  const started = performance.now();
  const build =
    dependencies.makeEnv ??
    ((id: string, seed: number) => makeEnv(id, { seed }) as Env<Float32Array, ArrayLike<number>>);
  const hooks = dependencies.hooks ?? {};
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
  let alpha = args.autotune ? 1 : args.alpha;
  if (!args.autotune) tf.tidy(() => agent.logAlpha.assign(tf.scalar(Math.log(args.alpha))));
  let updates = 0;
  let episodeReturn = 0;
  let episodeLength = 0;
  let lastEval = { successRate: Number.NaN, meanReturn: Number.NaN };
  let windowStart = performance.now();
  let windowStartStep = 0;

  const runEvaluation = (step: number) => {
    const result = evaluate(agent, evalEnvs, args.seed);
    lastEval = result;
    dependencies.log(step, {
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
        dependencies.log(globalStep + 1, {
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
        log: (scalars) => dependencies.log(globalStep + 1, scalars),
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
          const now = performance.now();
          const scalars: Scalars = {
            'losses/qf1_loss': l.qf1Loss,
            'losses/qf2_loss': l.qf2Loss,
            'losses/qf1_values': l.qf1Value,
            'losses/alpha': alpha,
            'charts/sps': ((globalStep + 1 - windowStartStep) * 1000) / (now - windowStart),
          };
          if (l.actorLoss !== undefined) scalars['losses/actor_loss'] = l.actorLoss;
          if (l.alphaLoss !== undefined) scalars['losses/alpha_loss'] = l.alphaLoss;
          if (l.extraLoss !== undefined) scalars['losses/guidance_loss'] = l.extraLoss;
          dependencies.log(globalStep + 1, scalars);
          windowStart = now;
          windowStartStep = globalStep + 1;
        }
      }
      if (args.evalEvery > 0 && (globalStep + 1) % args.evalEvery === 0)
        runEvaluation(globalStep + 1);
      if (args.checkpointEvery > 0 && (globalStep + 1) % args.checkpointEvery === 0) {
        await dependencies.checkpoint?.(globalStep + 1, agent.getWeights());
      }
      dependencies.progress?.(globalStep + 1);
    }
    if (args.evalEvery > 0 && args.totalTimesteps % args.evalEvery !== 0)
      runEvaluation(args.totalTimesteps);
    await dependencies.checkpoint?.(args.totalTimesteps, agent.getWeights());
  } finally {
    agent.dispose();
    for (const optimizer of [optimizers.q, optimizers.actor, optimizers.alpha]) optimizer.dispose();
    for (const e of [env, ...evalEnvs]) (e as { close?: () => void }).close?.();
  }
  return {
    finalSuccessRate: lastEval.successRate,
    finalReturn: lastEval.meanReturn,
    steps: args.totalTimesteps,
    seconds: (performance.now() - started) / 1000,
  };
}
