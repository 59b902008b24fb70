/**
 * @module
 * What every training run saves and `teacher-train eval` loads: the algorithm that trained it,
 * the environment, the step, the arguments, the policy's shape and every weight by name. Plain
 * JSON, so a checkpoint can be read without TensorFlow.js. One format for the four algorithms;
 * the formats written before it (`teacher-train-checkpoint/1` by PPO and LVLM2P,
 * `teacher-train-sac-checkpoint/1` by SAC and VARL) are read and upgraded.
 */
import { z } from 'zod';
import type { ActorCritic } from '../networks/actor-critic.ts';
import { createActorCritic } from '../networks/actor-critic.ts';
import type { MissionVocabulary } from '../networks/mission-vocabulary.ts';
import { createMissionVocabulary } from '../networks/mission-vocabulary.ts';

export const CHECKPOINT_FORMAT = 'teacher-train-checkpoint/2';

const weightsSchema = z.record(
  z.string(),
  z.object({ shape: z.array(z.number().int().nonnegative()), values: z.array(z.number()) }),
);

const actorCriticOptionsSchema = z.object({
  kind: z.enum(['cnn', 'mlp']),
  numActions: z.number().int().positive(),
  missionEncoder: z.enum(['bag-of-words', 'none']),
  vocabularySize: z.number().int().positive(),
  seed: z.number(),
});

/** How to rebuild the policy: PPO's actor-critic over grid views, or SAC's squashed-Gaussian actor. */
const policySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('actor-critic'),
    network: actorCriticOptionsSchema,
    vocabulary: z.array(z.string()),
  }),
  z.object({
    kind: z.literal('squashed-gaussian'),
    observationSize: z.number().int().positive(),
    low: z.array(z.number()),
    high: z.array(z.number()),
    hiddenSize: z.number().int().positive(),
  }),
]);

const checkpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  /** `ppo`, `lvlm2p`, `sac` or `varl`. */
  algorithm: z.string().min(1),
  envId: z.string().min(1),
  /** Environment steps trained when saved. */
  step: z.number().int().nonnegative(),
  policy: policySchema,
  weights: weightsSchema,
  args: z.record(z.string(), z.unknown()),
});

export type Checkpoint = z.infer<typeof checkpointSchema>;
export type CheckpointPolicy = z.infer<typeof policySchema>;
export type CheckpointWeights = z.infer<typeof weightsSchema>;

/** `teacher-train-checkpoint/1`: PPO and LVLM2P before the shared format. */
const ppoCheckpointV1Schema = z.object({
  format: z.literal('teacher-train-checkpoint/1'),
  algorithm: z.string().min(1),
  envId: z.string().min(1),
  frames: z.number().int().nonnegative(),
  network: actorCriticOptionsSchema,
  vocabulary: z.array(z.string()),
  weights: weightsSchema,
  args: z.record(z.string(), z.unknown()),
});

/** `teacher-train-sac-checkpoint/1`: SAC and VARL before the shared format (no policy shape). */
const sacCheckpointV1Schema = z.object({
  format: z.literal('teacher-train-sac-checkpoint/1'),
  algorithm: z.string().min(1),
  step: z.number().int().nonnegative(),
  args: z.looseObject({ envId: z.string().min(1), hiddenSize: z.number().int().positive() }),
  weights: weightsSchema,
});

/** Captures a policy's current weights in the shared format. */
export function createCheckpoint(input: {
  algorithm: string;
  envId: string;
  step: number;
  policy: CheckpointPolicy;
  weights: CheckpointWeights;
  args: object;
}): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT,
    algorithm: input.algorithm,
    envId: input.envId,
    step: input.step,
    policy: input.policy,
    weights: input.weights,
    args: { ...input.args } as Record<string, unknown>,
  };
}

/**
 * Parses a checkpoint file's JSON in any known format into the current one; throws a message
 * naming the format and the first field that does not fit.
 */
export function readCheckpoint(json: unknown): Checkpoint {
  const format = (json as { format?: unknown } | null)?.format;
  if (format === 'teacher-train-checkpoint/1') {
    const old = parse(ppoCheckpointV1Schema, json, format);
    return createCheckpoint({
      algorithm: old.algorithm,
      envId: old.envId,
      step: old.frames,
      policy: { kind: 'actor-critic', network: old.network, vocabulary: old.vocabulary },
      weights: old.weights,
      args: old.args,
    });
  }
  if (format === 'teacher-train-sac-checkpoint/1') {
    const old = parse(sacCheckpointV1Schema, json, format);
    const first = old.weights['actor/dense0/kernel'];
    const last = old.weights['actor/dense2/kernel'];
    if (!first || !last) throw new Error(`${format} checkpoint has no actor weights`);
    // The physics tasks, the only ones SAC trained on then, act in [-1, 1] per component.
    const actionSize = last.shape[1]! / 2;
    return createCheckpoint({
      algorithm: old.algorithm,
      envId: old.args.envId,
      step: old.step,
      policy: {
        kind: 'squashed-gaussian',
        observationSize: first.shape[0]!,
        low: new Array<number>(actionSize).fill(-1),
        high: new Array<number>(actionSize).fill(1),
        hiddenSize: old.args.hiddenSize,
      },
      weights: old.weights,
      args: old.args,
    });
  }
  if (format !== CHECKPOINT_FORMAT) throw new Error(`unknown checkpoint format ${String(format)}`);
  return parse(checkpointSchema, json, format);
}

function parse<T>(schema: z.ZodType<T>, json: unknown, format: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(
    `invalid ${format} checkpoint: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
}

/** Rebuilds an actor-critic checkpoint's student (on the current TensorFlow.js backend) and its vocabulary. */
export function restoreCheckpoint(checkpoint: Checkpoint): {
  model: ActorCritic;
  vocabulary: MissionVocabulary;
} {
  const { policy } = checkpoint;
  if (policy.kind !== 'actor-critic')
    throw new Error(
      `a ${checkpoint.algorithm} checkpoint holds a ${policy.kind} policy, not an actor-critic`,
    );
  const model = createActorCritic(policy.network);
  model.setWeights(checkpoint.weights);
  return {
    model,
    vocabulary: createMissionVocabulary(policy.network.vocabularySize, policy.vocabulary),
  };
}
