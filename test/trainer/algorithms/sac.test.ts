import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  SAC_DEFAULTS,
  createSacOptimizers,
  train,
  updateSac,
} from '@teacher-gateway/trainer/internal/algorithms/sac';
import type { Scalars } from '@teacher-gateway/trainer/internal/algorithms/train-dependencies';
import { createSacAgent, softUpdate } from '@teacher-gateway/trainer/internal/networks/sac-agent';
import { ReplayBuffer } from '@teacher-gateway/trainer/internal/buffers/replay-buffer';
import { NumpyGenerator } from '@teacher-gateway/trainer/internal/random/numpy-generator';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';

before(async () => {
  await setUpBackend({ backend: 'wasm' });
});

function filledBuffer(random: NumpyGenerator): ReplayBuffer {
  const buffer = new ReplayBuffer({ capacity: 64, observationSize: 4, actionSize: 2 });
  const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-0.5, 0.5));
  for (let i = 0; i < 64; i++) {
    buffer.add({
      observation: draw(4),
      action: draw(2),
      reward: i % 9 === 0 ? 1 : 0,
      nextObservation: draw(4),
      done: i % 9 === 0,
    });
  }
  return buffer;
}

describe('softUpdate', () => {
  it('moves each target weight tau of the way to its source', () => {
    const target = [tf.variable(tf.tensor1d([1, 2])), tf.variable(tf.tensor2d([[0, 10]]))];
    const source = [tf.variable(tf.tensor1d([3, -2])), tf.variable(tf.tensor2d([[1, 0]]))];
    softUpdate(target, source, 0.25);
    // 0.25 * 3 + 0.75 * 1 = 1.5; 0.25 * -2 + 0.75 * 2 = 1; 0.25; 7.5
    assert.deepEqual(Array.from(target[0]!.dataSync()), [1.5, 1]);
    assert.deepEqual(Array.from(target[1]!.dataSync()), [0.25, 7.5]);
    tf.dispose([...target, ...source]);
  });
});

describe('the SAC agent', () => {
  it('gives a sampled action the log-probability it was sampled with, and keeps actions in bounds', () => {
    const agent = createSacAgent({
      observationSize: 4,
      low: [-1, -2],
      high: [1, 2],
      hiddenSize: 8,
      random: new NumpyGenerator(1),
    });
    tf.tidy(() => {
      const observations = tf.tensor2d([
        [0.1, -0.2, 0.3, 0],
        [0, 0, 0, 0.4],
      ]);
      const { action, logProb } = agent.sample(
        observations,
        tf.tensor2d([
          [0.3, -0.5],
          [1, 0.2],
        ]),
      );
      const again = agent.logProbOf(observations, action).dataSync();
      logProb
        .dataSync()
        .forEach((value, i) =>
          assert.ok(Math.abs(value - again[i]!) < 1e-3, `${value} vs ${again[i]}`),
        );
      const actions = action.dataSync();
      assert.ok(Math.abs(actions[0]!) <= 1 && Math.abs(actions[1]!) <= 2);
    });
    agent.dispose();
  });

  it('leaves the tensor count flat across updates (after the optimizers create their slots)', () => {
    const random = new NumpyGenerator(2);
    const agent = createSacAgent({
      observationSize: 4,
      low: [-1, -1],
      high: [1, 1],
      hiddenSize: 8,
      random,
    });
    const optimizers = createSacOptimizers(SAC_DEFAULTS);
    const buffer = filledBuffer(random);
    const args = { ...SAC_DEFAULTS, batchSize: 16 };
    let alpha = 1;
    const run = (update: number, readLosses: boolean) => {
      alpha = updateSac(
        { agent, optimizers, args, random, alpha, step: update, update, hooks: {} },
        buffer.sample(16, random),
        readLosses,
      ).alpha;
    };
    run(0, true);
    run(1, false);
    const count = tf.memory().numTensors;
    for (let update = 2; update < 12; update++) run(update, update % 3 === 0);
    assert.equal(tf.memory().numTensors, count);
    assert.ok(alpha < 1, 'autotuned alpha moved');
    agent.dispose();
    for (const optimizer of Object.values(optimizers)) optimizer.dispose();
  });
});

describe('ReplayBuffer', () => {
  it('samples recent transitions only from the most recent window, without repeats', () => {
    const buffer = new ReplayBuffer({ capacity: 10, observationSize: 1, actionSize: 1 });
    for (let i = 0; i < 25; i++)
      buffer.add({
        observation: [i],
        action: [0],
        reward: 0,
        nextObservation: [i + 1],
        done: false,
      });
    const batch = buffer.sampleRecent(4, 5, new NumpyGenerator(3));
    const seen = Array.from(batch.observations).sort((a, b) => a - b);
    assert.equal(new Set(seen).size, 4);
    assert.ok(
      seen.every((value) => value >= 20 && value <= 24),
      String(seen),
    );
    assert.equal(buffer.size, 10);
  });
});

describe('train (SAC)', () => {
  it('runs a tiny budget in-process, logs cleanrl keys and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const lines: Array<[number, Scalars]> = [];
    let checkpoints = 0;
    const result = await train(
      {
        ...SAC_DEFAULTS,
        envId: 'Physics-Reach-v0',
        totalTimesteps: 200,
        learningStarts: 50,
        batchSize: 16,
        hiddenSize: 8,
        evalEvery: 100,
        evalEpisodes: 2,
        logEvery: 50,
      },
      {
        clock: { now: () => performance.now() },
        logger: { log: (step, scalars) => lines.push([step, scalars]) },
        checkpoint: () => void (checkpoints += 1),
      },
    );
    const keys = new Set(lines.flatMap(([, scalars]) => Object.keys(scalars)));
    for (const key of [
      'charts/episodic_return',
      'charts/success',
      'eval/success_rate',
      'losses/qf1_loss',
      'losses/actor_loss',
      'losses/alpha',
      'charts/sps',
    ]) {
      assert.ok(keys.has(key), `missing ${key}`);
    }
    assert.equal(lines.filter(([, s]) => 'eval/success_rate' in s).length, 2);
    assert.equal(checkpoints, 1);
    assert.equal(result.steps, 200);
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('the entropy temperature', () => {
  const firstAlpha = async (args: Partial<typeof SAC_DEFAULTS>) => {
    const alphas: number[] = [];
    await train(
      {
        ...SAC_DEFAULTS,
        envId: 'Physics-Reach-v0',
        totalTimesteps: 60,
        learningStarts: 50,
        batchSize: 16,
        hiddenSize: 8,
        evalEvery: 0,
        logEvery: 1,
        ...args,
      },
      {
        clock: { now: () => performance.now() },
        logger: { log: (_step, s) => void (typeof s['losses/alpha'] === 'number' && alphas.push(s['losses/alpha'])) },
      },
    );
    return alphas[0]!;
  };

  it('starts autotuning at initialAlpha (0.1 by default, not cleanrl 1) and holds a fixed alpha', async () => {
    assert.equal(SAC_DEFAULTS.initialAlpha, 0.1);
    // One Adam step of lr 1e-3 on log alpha moves it by about 0.1%.
    assert.ok(Math.abs((await firstAlpha({})) - 0.1) < 0.001);
    assert.ok(Math.abs((await firstAlpha({ initialAlpha: 1 })) - 1) < 0.01);
    assert.equal(await firstAlpha({ autotune: false, alpha: 0.3 }), 0.3);
  });
});
