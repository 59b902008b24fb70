/**
 * @module
 * What a training run saves and `teacher-train eval` loads: the student's weights by name, its
 * mission vocabulary, and the arguments that shaped it. Plain JSON, so a checkpoint can be
 * read without TensorFlow.js.
 */
import type { ActorCritic, ActorCriticOptions } from '../networks/actor-critic.ts';
import { createActorCritic } from '../networks/actor-critic.ts';
import type { MissionVocabulary } from '../networks/mission-vocabulary.ts';
import { createMissionVocabulary } from '../networks/mission-vocabulary.ts';

export interface Checkpoint {
  format: 'teacher-train-checkpoint/1';
  algorithm: string;
  envId: string;
  update: number;
  frames: number;
  network: ActorCriticOptions;
  vocabulary: string[];
  weights: Record<string, { shape: number[]; values: number[] }>;
  args: Record<string, unknown>;
}

/** Captures a model's current weights. */
export function createCheckpoint(input: {
  algorithm: string;
  envId: string;
  update: number;
  frames: number;
  model: ActorCritic;
  vocabulary: MissionVocabulary;
  args: object;
}): Checkpoint {
  return {
    format: 'teacher-train-checkpoint/1',
    algorithm: input.algorithm,
    envId: input.envId,
    update: input.update,
    frames: input.frames,
    network: input.model.options,
    vocabulary: [...input.vocabulary.words],
    weights: input.model.getWeights(),
    args: { ...input.args },
  };
}

/** Rebuilds the student (on the current TensorFlow.js backend) and its vocabulary. */
export function restoreCheckpoint(checkpoint: Checkpoint): {
  model: ActorCritic;
  vocabulary: MissionVocabulary;
} {
  if (checkpoint.format !== 'teacher-train-checkpoint/1') {
    throw new Error(`unknown checkpoint format ${String(checkpoint.format)}`);
  }
  const model = createActorCritic(checkpoint.network);
  model.setWeights(checkpoint.weights);
  return {
    model,
    vocabulary: createMissionVocabulary(checkpoint.network.vocabularySize, checkpoint.vocabulary),
  };
}
