import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createClient } from '@teacher-gateway/client';
import type { GatewayClient } from '@teacher-gateway/client';
import { LVLM2P_DEFAULTS, train as trainLvlm2p } from '@teacher-gateway/trainer/internal/algorithms/lvlm2p';
import { PPO_DEFAULTS, train as trainPpo } from '@teacher-gateway/trainer/internal/algorithms/ppo';
import type { PpoArgs } from '@teacher-gateway/trainer/internal/algorithms/ppo';
import type { Checkpoint } from '@teacher-gateway/trainer/internal/checkpoints/checkpoint';
import { restoreCheckpoint } from '@teacher-gateway/trainer/internal/checkpoints/checkpoint';
import { evaluateCheckpoint } from '@teacher-gateway/trainer/internal/checkpoints/evaluate-checkpoint';
import { ACTION_LABELS } from '@teacher-gateway/trainer';
import { startLocalGateway } from '@teacher-gateway/trainer/internal/teachers/local-gateway/start-local-gateway';
import type { LocalGateway } from '@teacher-gateway/trainer/internal/teachers/local-gateway/start-local-gateway';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';
import { referencePlannerAction } from '@teacher-gateway/trainer/internal/teachers/planner/reference-planner-action';

/** A clock that never moves: runs of one seed log identical metrics (`charts/sps` included). */
const clock = { now: () => 0 };

/** A few tiny updates: 2 envs x 32 steps, minibatches of 32. */
const tiny: PpoArgs = {
  ...PPO_DEFAULTS,
  envId: 'MiniGrid-DoorKey-5x5-v0',
  totalTimesteps: 256,
  numEnvs: 2,
  numSteps: 32,
  minibatchSize: 32,
  updateEpochs: 2,
};

async function runPpo(args: PpoArgs) {
  const metrics: Array<Record<string, number>> = [];
  const tensors: number[] = [];
  const checkpoints: Checkpoint[] = [];
  const result = await trainPpo(args, {
    clock,
    logger: {
      log: (step, record) => {
        metrics.push({ global_step: step, ...record });
        tensors.push(tf.memory().numTensors);
      },
    },
    checkpoint: (checkpoint) => {
      checkpoints.push(checkpoint);
    },
  });
  return { result, metrics, tensors, checkpoints };
}

describe('training smoke tests (in-process)', () => {
  before(async () => {
    await setUpBackend({ backend: 'wasm' });
  });

  it('ppo runs, logs namespaced metrics every update, and keeps the tensor count flat', async () => {
    const { result, metrics, tensors } = await runPpo(tiny);
    assert.equal(metrics.length, 4);
    assert.deepEqual(
      metrics.map((record) => record.global_step),
      [64, 128, 192, 256],
    );
    for (const key of [
      'charts/episodic_return',
      'charts/sps',
      'losses/policy_loss',
      'losses/value_loss',
      'losses/entropy',
      'losses/approx_kl',
    ]) {
      assert.ok(Number.isFinite(metrics[3]![key]), key);
    }
    assert.equal(new Set(tensors).size, 1, `tensors per update: ${tensors.join(', ')}`);
    result.model.dispose();
  });

  it('the same seed gives the same metrics; another seed does not', async () => {
    const first = await runPpo(tiny);
    const second = await runPpo(tiny);
    const third = await runPpo({ ...tiny, seed: 2 });
    assert.deepEqual(first.metrics, second.metrics);
    assert.notDeepEqual(first.metrics, third.metrics);
    [first, second, third].forEach((run) => run.result.model.dispose());
  });

  it('a checkpoint loads back to the same policy and plays episodes', async () => {
    const { result, checkpoints } = await runPpo({ ...tiny, network: 'mlp' });
    assert.equal(checkpoints.length, 1);
    const saved = JSON.parse(JSON.stringify(checkpoints[0])) as Checkpoint;
    const restored = restoreCheckpoint(saved);
    const images = tf.randomUniform([4, 147], 0, 10, 'float32', 7) as tf.Tensor2D;
    const missions = tf.zeros([4, tiny.vocabularySize]) as tf.Tensor2D;
    const before = result.model.forward(images, missions);
    const after = restored.model.forward(images, missions);
    assert.deepEqual(Array.from(after.logits.dataSync()), Array.from(before.logits.dataSync()));
    assert.deepEqual(restored.vocabulary.words, result.vocabulary.words);
    tf.dispose([images, missions, before.logits, before.values, after.logits, after.values]);
    restored.model.dispose();
    result.model.dispose();
    const evaluation = evaluateCheckpoint(saved, { episodes: 2, seed: 10_000, greedy: true });
    assert.equal(evaluation.returns.length, 2);
  });

  describe('lvlm2p through an in-process gateway and simulated VLM', () => {
    let local: LocalGateway;
    let client: GatewayClient;
    before(async () => {
      local = await startLocalGateway({
        databasePath: ':memory:',
        simulatedVlm: { accuracy: 0.8, seed: 1 },
      });
      client = createClient({ baseUrl: local.url });
    });
    after(async () => {
      await client.close();
      await local.close();
    });

    it('asks the teacher once per distinct state per rollout and distils its answers', async () => {
      const teacher = client.teacher({
        template: 'minigrid-lvlm2p',
        actions: { kind: 'discrete', labels: [...ACTION_LABELS] },
        provider: local.provider,
        distribution: { method: 'logprobs' },
      });
      const metrics: Array<Record<string, number>> = [];
      const tensors: number[] = [];
      const result = await trainLvlm2p(
        { ...LVLM2P_DEFAULTS, ...tiny, tileSize: 8 },
        {
          clock,
          teacher: {
            advisor: teacher,
            gatewayStats: async () => (await client.cacheStats()).total,
            reference: referencePlannerAction,
          },
          logger: {
            log: (_step, record) => {
              metrics.push(record);
              tensors.push(tf.memory().numTensors);
            },
          },
        },
      );
      assert.equal(metrics.length, 4);
      const last = metrics[3]!;
      assert.ok(last['teacher/calls']! > 0);
      // Every sample of a rollout is a state the teacher was asked about (or shares one's answer).
      assert.equal(last['teacher/targeted_samples'], 64);
      assert.ok(metrics.every((record) => record['teacher/queries']! <= 64));
      assert.equal(
        last['teacher/agreement_total'],
        1,
        'the simulated VLM answers with the planner action',
      );
      assert.ok(last['losses/distill_loss']! > 0);
      assert.ok(last['teacher/gateway_upstream_calls']! >= 1);
      assert.ok(
        last['teacher/gateway_upstream_calls']! < last['teacher/calls']!,
        'packed calls and the cache save upstream calls',
      );
      assert.ok(last['teacher/lambda']! < 1 && last['teacher/lambda']! > 0, 'linear decay');
      assert.equal(new Set(tensors).size, 1, `tensors per update: ${tensors.join(', ')}`);
      result.model.dispose();
    });

    it('with a query budget, stops asking once it is spent', async () => {
      const teacher = client.teacher({
        template: 'minigrid-lvlm2p',
        actions: { kind: 'discrete', labels: [...ACTION_LABELS] },
        provider: local.provider,
      });
      const metrics: Array<Record<string, number>> = [];
      const result = await trainLvlm2p(
        {
          ...LVLM2P_DEFAULTS,
          ...tiny,
          tileSize: 8,
          queryBudget: 20,
          distill: 'released',
          teacherLag: 1,
        },
        {
          clock,
          teacher: { advisor: teacher },
          logger: { log: (_step, record) => metrics.push(record) },
        },
      );
      assert.equal(metrics.at(-1)!['teacher/calls'], 20);
      result.model.dispose();
    });
  });
});
