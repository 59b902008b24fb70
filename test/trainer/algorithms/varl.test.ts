import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createClient } from '@teacher-gateway/client';
import type { Scalars } from '@teacher-gateway/trainer/internal/algorithms/train-dependencies';
import {
  VARL_DEFAULTS,
  gatedBehaviourCloningLoss,
  guidanceGate,
  queryTriggerSteps,
  train,
} from '@teacher-gateway/trainer/internal/algorithms/varl';
import { GuidanceBuffer } from '@teacher-gateway/trainer/internal/buffers/guidance-buffer';
import { PHYSICS_ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/physics/physics-env';
import { NumpyGenerator } from '@teacher-gateway/trainer/internal/random/numpy-generator';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';
import { createGatewayActionAdvisor } from '@teacher-gateway/trainer/internal/teachers/create-gateway-action-advisor';
import { startLocalGateway } from '@teacher-gateway/trainer/internal/teachers/local-gateway/start-local-gateway';
import { createScriptedActionAdvisor } from '@teacher-gateway/trainer/internal/teachers/physics-advisor/create-scripted-action-advisor';
import { referencePhysicsAction } from '@teacher-gateway/trainer/internal/teachers/physics-advisor/reference-physics-action';

const clock = { now: () => performance.now() };

before(async () => {
  await setUpBackend({ backend: 'wasm' });
});

const tiny = {
  ...VARL_DEFAULTS,
  envId: 'Physics-Reach-v0',
  totalTimesteps: 360,
  learningStarts: 100,
  batchSize: 16,
  hiddenSize: 8,
  evalEvery: 200,
  evalEpisodes: 2,
  logEvery: 20,
  firstQueryStep: 120,
  queryInterval: 100,
  queryRounds: 2,
  transitionsPerRound: 8,
  recentWindow: 50,
  cutoffStep: 300,
  guidanceBatchSize: 8,
};

describe('the VARL gate and loss', () => {
  it('switches the gate off where the suggestion is within the tolerance (max-norm) of the mean action', () => {
    const suggestions = Float32Array.of(1, 0, 0.5, 0.5, -1, 1);
    const means = Float32Array.of(0.9, 0.1, 0.5, 0.1, -1, 0.7);
    // Distances 0.1, 0.4, 0.3 against tolerance 0.25.
    assert.deepEqual(Array.from(guidanceGate(suggestions, means, 2, 0.25)), [0, 1, 1]);
    assert.deepEqual(Array.from(guidanceGate(suggestions, means, 2, 0.35)), [0, 1, 0]);
  });

  it('is lambda times the mean over all pairs of gate * (-log pi)', () => {
    const loss = gatedBehaviourCloningLoss(
      tf.tensor2d([[-1], [-2], [-3]]),
      tf.tensor2d([[1], [0], [1]]),
      2,
    );
    // 2 * (1 + 0 + 3) / 3
    assert.ok(Math.abs(loss.dataSync()[0]! - 8 / 3) < 1e-6);
    loss.dispose();
  });

  it('fires its rounds at the trigger steps', () => {
    assert.deepEqual(queryTriggerSteps(VARL_DEFAULTS), [1000, 2000, 3000]);
  });

  it('keeps guidance pairs and samples them', () => {
    const guidance = new GuidanceBuffer(2, 2);
    guidance.add([1, 2], [0.5, -0.5]);
    guidance.add([3, 4], [1, 1]);
    assert.deepEqual(
      Array.from(guidance.sample(5, new NumpyGenerator(0)).observations),
      [1, 2, 3, 4],
    );
    assert.equal(guidance.sample(1, new NumpyGenerator(0)).size, 1);
    assert.throws(() => guidance.add([1], [0, 0]), RangeError);
  });
});

describe('train (VARL)', () => {
  it('queries in rounds, adds the guidance term only before N_s, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const lines: Array<[number, Scalars]> = [];
    const result = await train(tiny, {
      clock,
      logger: { log: (step, scalars) => lines.push([step, scalars]) },
      teacher: { advisor: createScriptedActionAdvisor(), reference: referencePhysicsAction },
    });
    const rounds = lines.filter(([, s]) => 'teacher/rounds' in s);
    assert.deepEqual(
      rounds.map(([step]) => step),
      [120, 220],
    );
    assert.equal(rounds.at(-1)![1]['teacher/calls'], 16);
    assert.equal(rounds.at(-1)![1]['teacher/agreement_total'], 1);
    const guided = lines.filter(([, s]) => 'losses/guidance_loss' in s).map(([step]) => step);
    assert.ok(
      guided.length > 0 && guided.every((step) => step > 120 && step <= 300),
      String(guided),
    );
    assert.ok(
      lines.some(([step, s]) => step > 300 && 'losses/actor_loss' in s),
      'actor keeps training after N_s',
    );
    assert.equal(result.teacherQueries, 16);
    assert.equal(result.guidancePairs, 16);
    assert.equal(tf.memory().numTensors, before);
  });

  it('asks the gateway (physics-varl, continuous actions) through the client, with the simulated VLM behind it', async () => {
    const local = await startLocalGateway({
      databasePath: ':memory:',
      simulatedVlm: { accuracy: 1, seed: 1 },
    });
    const client = createClient({ baseUrl: local.url });
    try {
      const teacher = client.teacher({
        template: 'physics-varl',
        actions: {
          kind: 'continuous',
          labels: [...PHYSICS_ACTION_LABELS],
          low: [-1, -1],
          high: [1, 1],
        },
        provider: local.provider,
      });
      const lines: Array<[number, Scalars]> = [];
      const result = await train(
        { ...tiny, totalTimesteps: 200, queryRounds: 1, evalEvery: 0 },
        {
          clock,
          logger: { log: (step, scalars) => lines.push([step, scalars]) },
          teacher: {
            advisor: createGatewayActionAdvisor(teacher),
            reference: referencePhysicsAction,
          },
        },
      );
      const cost = lines.find(([, s]) => 'teacher/rounds' in s)![1];
      assert.equal(result.guidancePairs, 8);
      assert.equal(cost['teacher/failures'], 0);
      assert.equal(cost['teacher/gateway_upstream_calls']! + cost['teacher/cache_hits']!, 8);
      // Accuracy 1: the simulated VLM reads the picture and agrees with the scripted policy on the exact state.
      assert.ok(cost['teacher/agreement_total']! >= 0.75, String(cost['teacher/agreement_total']));
    } finally {
      await client.close();
      await local.close();
    }
  });
});
