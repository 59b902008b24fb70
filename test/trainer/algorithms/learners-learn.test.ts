import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ppoEmptyCheck, sacDenseReachCheck } from '@teacher-gateway/trainer/internal/learning-checks/learning-checks';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';

// The learning checks CI can afford: PPO with the released settings must solve
// MiniGrid-Empty-5x5 (mean return of the last 5 updates >= 0.8, where a random policy scores
// about 0.2) within 15,360 frames (about 15 s of CPU), and SAC must solve Reach with a dense
// reward (greedy success >= 0.8, random play 0.05) within 4,000 steps (about 30 s).
// `npm run bench:learning` also runs SAC on Pendulum.
describe('learners learn', () => {
  before(async () => {
    await setUpBackend({ backend: 'wasm' });
  });

  it('PPO reaches return 0.8 on Empty-5x5 within 15,360 frames', async () => {
    const result = await ppoEmptyCheck(1);
    assert.ok(result.passed, JSON.stringify(result));
    assert.ok(result.value > result.randomValue + 0.4, JSON.stringify(result));
  });

  it('SAC reaches greedy success 0.8 on dense Reach within 4,000 steps', async () => {
    const result = await sacDenseReachCheck();
    assert.ok(result.passed, JSON.stringify(result));
    assert.ok(result.value > result.randomValue + 0.5, JSON.stringify(result));
  });
});
