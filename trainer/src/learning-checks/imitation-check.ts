/**
 * @module
 * Can the student network represent the teacher's policy at all? LVLM2P distils a teacher into
 * the PPO student, so a student that cannot fit the planner's actions by plain supervised
 * learning cannot gain from even a perfect teacher. This fits the student (the PPO actor, same
 * architecture and mission encoder) to the planner's actions on states from the env's own
 * distribution, with and without the mission, and reports training accuracy per budget.
 */
import * as tf from '@tensorflow/tfjs';
import type { GridWorldEnv } from '../envs/grid-world/grid-world-env.ts';
import { makeEnv } from '../envs/make-env.ts';
import type { ActorCriticOptions } from '../networks/actor-critic.ts';
import { createActorCritic } from '../networks/actor-critic.ts';
import { createMissionVocabulary } from '../networks/mission-vocabulary.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';
import { referencePlannerAction } from '../teachers/planner/reference-planner-action.ts';

export interface ImitationCheckOptions {
  envId: `MiniGrid-${string}`;
  missionEncoder: ActorCriticOptions['missionEncoder'];
  seed: number;
  /** Labelled states to fit. */
  states: number;
  /** Adam steps on minibatches of `batchSize`. */
  steps: number;
  batchSize: number;
  /** Steps between accuracy readings. */
  every: number;
}

export const IMITATION_DEFAULTS = { seed: 1, states: 4_000, steps: 1_500, batchSize: 256, every: 300 };

export interface ImitationReading {
  step: number;
  /** Share of the states where the student's top action is the planner's. */
  accuracy: number;
}

/**
 * @example
 * const readings = await imitationCheck({ ...IMITATION_DEFAULTS, envId: 'MiniGrid-GoToDoor-5x5-v0', missionEncoder: 'bag-of-words' })
 */
export function imitationCheck(options: ImitationCheckOptions): ImitationReading[] {
  const random = new NumpyGenerator(options.seed);
  const env = makeEnv(options.envId) as GridWorldEnv;
  const vocabulary = createMissionVocabulary(64);
  const images: number[] = [];
  const missions: number[] = [];
  const labels: number[] = [];
  const mission = new Float32Array(vocabulary.size);
  // The planner's path with 30% random turns and steps, so states off the path are labelled too.
  for (let episode = 0; labels.length < options.states; episode++) {
    let observation = env.reset(options.seed * 100_000 + episode).observation;
    for (let t = 0; t < 30 && labels.length < options.states; t++) {
      const action = referencePlannerAction(env.snapshot());
      if (action === null) break;
      vocabulary.encode(observation.mission, mission, 0);
      images.push(...observation.image);
      missions.push(...mission);
      labels.push(action);
      const step = env.step(random.random() < 0.3 ? Math.floor(random.random() * 3) : action);
      if (step.terminated || step.truncated) break;
      observation = step.observation;
    }
  }
  const n = labels.length;
  const model = createActorCritic({
    kind: 'cnn',
    numActions: 7,
    missionEncoder: options.missionEncoder,
    vocabularySize: vocabulary.size,
    seed: options.seed,
  });
  const x = tf.tensor2d(images, [n, images.length / n]);
  const m = tf.tensor2d(missions, [n, vocabulary.size]);
  const targets = tf.tensor1d(labels, 'int32');
  const y = tf.oneHot(targets, 7);
  const optimizer = tf.train.adam(1e-3);
  const readings: ImitationReading[] = [];
  try {
    for (let step = 0; step <= options.steps; step++) {
      if (step % options.every === 0) {
        const accuracy = tf.tidy(
          () =>
            tf
              .mean(tf.cast(tf.equal(tf.argMax(model.forward(x, m).logits, 1), targets), 'float32'))
              .dataSync()[0]!,
        );
        readings.push({ step, accuracy });
      }
      if (step === options.steps) break;
      const picks = Int32Array.from({ length: options.batchSize }, () =>
        Math.floor(random.random() * n),
      );
      tf.tidy(() => {
        const index = tf.tensor1d(picks, 'int32');
        optimizer.minimize(
          () =>
            tf.losses.softmaxCrossEntropy(
              tf.gather(y, index),
              model.forward(tf.gather(x, index) as tf.Tensor2D, tf.gather(m, index) as tf.Tensor2D)
                .logits,
            ) as tf.Scalar,
          false,
          model.variables,
        );
      });
    }
  } finally {
    tf.dispose([x, m, targets, y]);
    optimizer.dispose();
    model.dispose();
  }
  return readings;
}
