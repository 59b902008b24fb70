import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ppoEmptyCheck } from '@teacher-gateway/trainer/internal/learning-checks/learning-checks';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';

// The one learning check CI can afford (about 15 s of CPU): PPO with the released settings must
// solve MiniGrid-Empty-5x5 (mean return of the last 5 updates >= 0.8, where a random policy
// scores about 0.2) within 15,360 frames. `npm run bench:learning` also runs the SAC checks.
describe('learners learn', () => {
  before(async () => {
    await setUpBackend({ backend: 'wasm' });
  });

  it('PPO reaches return 0.8 on Empty-5x5 within 15,360 frames', async () => {
    const result = await ppoEmptyCheck(1);
    assert.ok(result.passed, JSON.stringify(result));
    assert.ok(result.value > result.randomValue + 0.4, JSON.stringify(result));
  });
});
