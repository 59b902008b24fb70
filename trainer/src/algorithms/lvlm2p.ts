/**
 * @module
 * LVLM2P (arXiv 2505.11221): PPO plus a term that distils a VLM teacher's action distribution
 * into the student, `L = L_PPO + lambda_t * mean_s KL(pi_T(.|s) || pi_theta(.|s))`. Read top to
 * bottom: arguments, the losses, the lambda schedule, the teacher round, and `train`, which is
 * `ppo.ts`'s loop with this file's guidance plugged in.
 *
 * Where we differ from the release, on purpose: it asked the teacher inside the update loop
 * (every sample, every minibatch, every epoch, two calls each, no cache: about 8 calls per
 * frame); we ask once per distinct state per rollout, in one round of batched requests, and the
 * gateway's cache answers states seen in earlier rollouts. `--distill released` reproduces its
 * loss exactly, for comparison.
 */
import * as tf from '@tensorflow/tfjs';
import { encodeRgbPng, sha256Hex } from '@teacher-gateway/client';
import type { Suggestion, Teacher } from '@teacher-gateway/client';
import type { GridWorldEnv, GridWorldSnapshot } from '../envs/grid-world/grid-world-env.ts';
import type { GridObservation } from '../envs/grid-world/observation.ts';
import { imageAt } from '../envs/grid-world/observation.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';
import type { GuidanceRollout, PpoArgs, PpoHooks, PpoResult } from './ppo.ts';
import { PPO_DEFAULTS, train as trainPpo } from './ppo.ts';
import type { TrainDependencies } from './train-dependencies.ts';

export type DistillMode = 'soft-kl' | 'hard-ce' | 'released';
export type LambdaSchedule = 'constant' | 'linear' | 'exponential';

export interface Lvlm2pArgs extends PpoArgs {
  /**
   * `soft-kl`: KL(teacher || student) from log_softmax (the paper's loss). `hard-ce`: cross-entropy
   * on the teacher's argmax (the paper's ablation). `released`: the release's exact code,
   * 0.01 * KL(0.8 * onehot(argmax teacher) || softmax(student probabilities)).
   */
  distill: DistillMode;
  /** lambda_0, the distillation weight at the first update (multiplies `released`'s own 0.01 too). */
  lambda: number;
  /** How lambda changes over updates. */
  lambdaSchedule: LambdaSchedule;
  /** `linear`: lambda reaches 0 at this update; `exponential`: lambda halves every this many updates. 0: the run's length (linear) or 10 updates (exponential). */
  lambdaDecayUpdates: number;
  /** lambda is 0 after this many updates (0: never cut off). */
  lambdaCutoff: number;
  /** Share of each rollout's distinct states sent to the teacher (drawn with the run's seed). */
  queryFraction: number;
  /** Most teacher queries over the run (0: no limit); after it, distillation stops. */
  queryBudget: number;
  /** Pixels per grid cell of the full-grid render the teacher sees (the release: 32). */
  tileSize: number;
  /** Gateway prompt template. */
  template: string;
  /** Gateway provider id (empty: the gateway's default). */
  provider: string;
  /** How the gateway turns the model's answer into a distribution. */
  distribution: 'logprobs' | 'samples' | 'verbalized' | 'auto';
  /**
   * 0: each update waits for its own rollout's teacher round (at most one round of latency per
   * rollout). 1: the round runs while the next rollout collects, and each update distils the
   * previous rollout's states: no waiting, one rollout of staleness.
   */
  teacherLag: 0 | 1;
  /**
   * Actions the teacher is asked about: 7 (all of MiniGrid's) or 3 (turn left, turn right, move
   * forward, as the release's teacher); the other actions get no teacher mass.
   */
  teacherActions: 7 | 3;
}

export const LVLM2P_DEFAULTS: Lvlm2pArgs = {
  ...PPO_DEFAULTS,
  distill: 'soft-kl',
  lambda: 1,
  lambdaSchedule: 'linear',
  lambdaDecayUpdates: 0,
  lambdaCutoff: 0,
  queryFraction: 1,
  queryBudget: 0,
  tileSize: 32,
  template: 'minigrid-lvlm2p',
  provider: '',
  distribution: 'logprobs',
  teacherLag: 0,
  teacherActions: 7,
};

export interface Lvlm2pTeacher {
  /** The client's auto-batching teacher (`client.teacher(...)`), bound to template and provider. */
  advisor: Pick<Teacher, 'suggest' | 'knownImages'>;
  /**
   * A reference action on the exact state (the planner's), for `teacher/agreement*`: the
   * teacher's quality, measured; without it agreement is not measured.
   */
  reference?(snapshot: GridWorldSnapshot): number | null;
  /** The gateway's running totals (`GET /v1/cache/stats`), for `teacher/gateway_*`; optional. */
  gatewayStats?: () => Promise<{
    upstreamCalls: number;
    hits: number;
    inputTokens: number;
    outputTokens: number;
  }>;
}

export type Lvlm2pDependencies = TrainDependencies<Lvlm2pTeacher>;

/**
 * The distillation loss of one minibatch, averaged over rows with `mask` 1.
 * `logits`: the student's [batch, actions]; `teacher`: the teacher's probabilities.
 *
 * @example
 * distillationLoss('soft-kl', logits, teacherProbs, mask) // a tf.Scalar
 */
export function distillationLoss(
  mode: DistillMode,
  logits: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const numActions = logits.shape[1];
    let perRow: tf.Tensor;
    if (mode === 'soft-kl') {
      const logTeacher = tf.log(tf.maximum(teacher, 1e-12));
      perRow = tf.sum(tf.mul(teacher, tf.sub(logTeacher, tf.logSoftmax(logits))), 1);
    } else if (mode === 'hard-ce') {
      const target = tf.oneHot(tf.argMax(teacher, 1), numActions);
      perRow = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1));
    } else {
      // The release, line for line: prob_policy = softmax(dist.probs + 1e-10); target = 0.8 at the
      // teacher's argmax, 0 elsewhere; KL = sum target * (log(target + eps) - log(prob_policy + eps)); * 0.01.
      const epsilon = 1e-10;
      const probPolicy = tf.softmax(tf.add(tf.softmax(logits), epsilon));
      const target = tf.mul(tf.oneHot(tf.argMax(teacher, 1), numActions), 0.8);
      const kl = tf.sum(
        tf.mul(
          target,
          tf.sub(tf.log(tf.add(target, epsilon)), tf.log(tf.add(probPolicy, epsilon))),
        ),
        1,
      );
      perRow = tf.mul(kl, 0.01);
    }
    return tf.div(tf.sum(tf.mul(perRow, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/**
 * lambda_t for update `update` (1-based) of `numUpdates`.
 *
 * @example
 * lambdaAt({ lambda: 1, lambdaSchedule: 'linear', lambdaDecayUpdates: 0, lambdaCutoff: 0 }, 5, 10) // 0.6
 */
export function lambdaAt(
  args: Pick<Lvlm2pArgs, 'lambda' | 'lambdaSchedule' | 'lambdaDecayUpdates' | 'lambdaCutoff'>,
  update: number,
  numUpdates: number,
): number {
  if (args.lambdaCutoff > 0 && update > args.lambdaCutoff) return 0;
  const elapsed = update - 1;
  if (args.lambdaSchedule === 'linear') {
    const span = args.lambdaDecayUpdates > 0 ? args.lambdaDecayUpdates : numUpdates;
    return args.lambda * Math.max(0, 1 - elapsed / span);
  }
  if (args.lambdaSchedule === 'exponential') {
    const halfLife = args.lambdaDecayUpdates > 0 ? args.lambdaDecayUpdates : 10;
    return args.lambda * 0.5 ** (elapsed / halfLife);
  }
  return args.lambda;
}

/** What the teacher saw of one distinct state, kept across rollouts so a frame is encoded once. */
interface StateView {
  png: Uint8Array;
  sha256: string;
  mission: string;
  snapshot: GridWorldSnapshot;
  referenceAction?: number | null;
}

/** One rollout's samples and, once the round is back, the teacher's targets for them. */
interface Round {
  keys: string[];
  images: Float32Array;
  missions: Float32Array;
  answers: Promise<Map<string, Suggestion | Error>>;
  /** Sum of teacher waits, for `teacher/wait_ms`. */
  startedAt: number;
}

const MAX_REMEMBERED_STATES = 50_000;

/** Builds the PPO hooks that ask the teacher after each rollout and add the distillation term. */
export function createLvlm2pGuidance(
  args: Lvlm2pArgs,
  dependencies: Lvlm2pDependencies,
  numActions: number,
): PpoHooks {
  const { advisor: teacher, gatewayStats, reference } = dependencies.teacher;
  const now = () => dependencies.clock.now();
  const random = new NumpyGenerator(args.seed + 1);
  const batchSize = args.numEnvs * args.numSteps;
  const numUpdates = Math.ceil(args.totalTimesteps / batchSize);
  const views = new Map<string, StateView>();
  // GoToDoor shows one picture under four missions: encoding it once saves most of the PNG work.
  const pictures = new Map<string, { png: Uint8Array; sha256: string }>();
  let sampleKeys: string[] = new Array<string>(batchSize).fill('');
  let pending: Round | undefined;
  let active:
    | {
        targets: tf.Tensor2D;
        mask: tf.Tensor1D;
        images?: tf.Tensor2D;
        missions?: tf.Tensor2D;
        lambda: number;
      }
    | undefined;
  let totalQueries = 0;
  const totals = {
    hits: 0,
    misses: 0,
    coalesced: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    agreements: 0,
    judged: 0,
  };
  let updateMetrics: Record<string, number> = {};
  let inFlight = false;
  const disposeActive = () => {
    if (active)
      tf.dispose([
        active.targets,
        active.mask,
        ...(active.images && active.missions ? [active.images, active.missions] : []),
      ]);
    active = undefined;
  };

  // The full grid with the agent, the agent's own cell of its view (what it carries) and the
  // mission: GoToDoor's grids repeat under other missions, and the right action differs.
  const stateKey = (env: GridWorldEnv, observation: GridObservation): string =>
    `${Buffer.from(env.fullEncoding()).toString('base64')}|${imageAt(observation.image, 3, 6, 0)},${imageAt(observation.image, 3, 6, 1)}|${observation.mission}`;

  // Everything the full-map render is drawn from, so equal keys mean byte-equal PNGs.
  const pictureKey = (env: GridWorldEnv): string => {
    const { encoding, agent, highlight } = env.picture(false);
    return `${Buffer.from(encoding).toString('base64')}|${agent!.x},${agent!.y},${agent!.dir}|${Buffer.from(highlight!).toString('base64')}`;
  };

  const startRound = (rollout: GuidanceRollout): Round => {
    const distinct = [...new Set(sampleKeys)];
    const budgetLeft =
      args.queryBudget > 0 ? Math.max(0, args.queryBudget - totalQueries) : Infinity;
    const wanted = Math.min(budgetLeft, Math.ceil(distinct.length * args.queryFraction));
    if (wanted < distinct.length) random.shuffle(distinct);
    const chosen = distinct.slice(0, wanted);
    totalQueries += chosen.length;
    const startedAt = now();
    // Every suggest() of this tick goes out together: the client batches them into :batch requests.
    const calls = chosen.map(async (key): Promise<[string, Suggestion | Error]> => {
      const view = views.get(key)!;
      const image = teacher.knownImages.has(view.sha256) ? { sha256: view.sha256 } : view.png;
      try {
        return [key, await teacher.suggest({ image, text: view.mission })];
      } catch (error) {
        return [key, error instanceof Error ? error : new Error(String(error))];
      }
    });
    inFlight = chosen.length > 0;
    const answers = Promise.all(calls).then((entries) => {
      inFlight = false;
      return new Map(entries);
    });
    return {
      keys: sampleKeys,
      images: rollout.images.slice(),
      missions: rollout.missions.slice(),
      answers,
      startedAt,
    };
  };

  const useRound = async (round: Round, update: number, sameRollout: boolean) => {
    const waitStart = now();
    const answers = await round.answers;
    const waitMs = now() - waitStart;
    const targets = new Float32Array(batchSize * numActions);
    const mask = new Float32Array(batchSize);
    const counts = {
      hits: 0,
      misses: 0,
      coalesced: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      agreements: 0,
      judged: 0,
    };
    for (const [key, answer] of answers) {
      if (answer instanceof Error || !answer.probs) {
        counts.errors += 1;
        continue;
      }
      if (answer.cache === 'hit' || answer.cache === 'replayed') counts.hits += 1;
      else if (answer.cache === 'coalesced') counts.coalesced += 1;
      else {
        counts.misses += 1;
        counts.inputTokens += answer.usage.inputTokens;
        counts.outputTokens += answer.usage.outputTokens;
      }
      const view = views.get(key);
      if (view && reference) {
        if (view.referenceAction === undefined) view.referenceAction = reference(view.snapshot);
        if (view.referenceAction !== null) {
          counts.judged += 1;
          if (argMax(answer.probs) === view.referenceAction) counts.agreements += 1;
        }
      }
    }
    round.keys.forEach((key, sample) => {
      const answer = answers.get(key);
      if (
        answer === undefined ||
        answer instanceof Error ||
        !answer.probs ||
        answer.probs.length !== args.teacherActions
      )
        return;
      // A 3-action teacher's answer covers the first three actions; the rest stay at 0.
      targets.set(answer.probs, sample * numActions);
      mask[sample] = 1;
    });
    for (const name of Object.keys(totals) as Array<keyof typeof totals>)
      totals[name] += counts[name];
    const lambda = lambdaAt(args, update, numUpdates);
    disposeActive();
    active = {
      targets: tf.tensor2d(targets, [batchSize, numActions]),
      mask: tf.tensor1d(mask),
      lambda,
      ...(sameRollout
        ? {}
        : {
            images: tf.tensor2d(round.images, [batchSize, round.images.length / batchSize]),
            missions: tf.tensor2d(round.missions, [batchSize, round.missions.length / batchSize]),
          }),
    };
    const gateway = gatewayStats ? await gatewayStats().catch(() => undefined) : undefined;
    updateMetrics = {
      'teacher/lambda': lambda,
      'teacher/queries': answers.size,
      'teacher/calls': totalQueries,
      'teacher/targeted_samples': mask.reduce((a, b) => a + b, 0),
      'teacher/agreement': counts.judged > 0 ? counts.agreements / counts.judged : Number.NaN,
      'teacher/agreement_total': totals.judged > 0 ? totals.agreements / totals.judged : Number.NaN,
      'teacher/cache_hits': totals.hits,
      'teacher/cache_misses': totals.misses,
      'teacher/coalesced': totals.coalesced,
      'teacher/errors': totals.errors,
      'teacher/input_tokens': totals.inputTokens,
      'teacher/output_tokens': totals.outputTokens,
      'teacher/wait_ms': waitMs,
      'teacher/round_ms': now() - round.startedAt,
      ...(gateway
        ? {
            'teacher/gateway_upstream_calls': gateway.upstreamCalls,
            'teacher/gateway_cache_hits': gateway.hits,
            'teacher/gateway_input_tokens': gateway.inputTokens,
            'teacher/gateway_output_tokens': gateway.outputTokens,
          }
        : {}),
    };
  };

  return {
    observe({ sample, env, observation }) {
      const key = stateKey(env, observation);
      sampleKeys[sample] = key;
      if (views.has(key)) return;
      if (views.size >= MAX_REMEMBERED_STATES) views.delete(views.keys().next().value!);
      const picture = pictureKey(env);
      let rendered = pictures.get(picture);
      if (rendered === undefined) {
        if (pictures.size >= MAX_REMEMBERED_STATES) pictures.delete(pictures.keys().next().value!);
        const png = encodeRgbPng(env.renderRgb({ tileSize: args.tileSize }));
        rendered = { png, sha256: sha256Hex(png) };
        pictures.set(picture, rendered);
      }
      const snapshot = env.snapshot();
      views.set(key, { ...rendered, mission: snapshot.mission, snapshot });
    },
    async beforeUpdate(rollout) {
      const round = startRound(rollout);
      sampleKeys = new Array<string>(batchSize).fill('');
      if (args.teacherLag === 0) {
        await useRound(round, rollout.update, true);
      } else {
        const previous = pending;
        pending = round;
        if (previous) await useRound(previous, rollout.update, false);
        else updateMetrics = { 'teacher/lambda': 0, 'teacher/calls': totalQueries };
      }
    },
    afterStep: () => (inFlight ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined),
    loss({ logits, indices, model }) {
      if (!active || active.lambda === 0) return undefined;
      const studentLogits =
        active.images && active.missions
          ? model.forward(tf.gather(active.images, indices), tf.gather(active.missions, indices))
              .logits
          : logits;
      const loss = distillationLoss(
        args.distill,
        studentLogits,
        tf.gather(active.targets, indices),
        tf.gather(active.mask, indices),
      );
      return tf.mul(active.lambda, loss) as tf.Scalar;
    },
    metrics: () => updateMetrics,
    async dispose() {
      if (pending) await pending.answers.catch(() => undefined);
      disposeActive();
    },
  };
}

/**
 * Trains LVLM2P: PPO's loop with the teacher's distillation term.
 *
 * @example
 * const advisor = createClient({ baseUrl }).teacher({ template: 'minigrid-lvlm2p', actions: { kind: 'discrete', labels: [...ACTION_LABELS] } })
 * await train({ ...LVLM2P_DEFAULTS, totalTimesteps: 20_000 }, { clock, logger, teacher: { advisor, reference: referencePlannerAction } })
 */
export async function train(
  args: Lvlm2pArgs,
  dependencies: Lvlm2pDependencies,
): Promise<PpoResult> {
  const numActions = 7; // MiniGrid's action space; the teacher is asked about all seven labels.
  const hooks = createLvlm2pGuidance(args, dependencies, numActions);
  const { teacher: _teacher, ...ppoDependencies } = dependencies;
  return trainPpo(args, ppoDependencies, { name: 'lvlm2p', hooks });
}

function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
