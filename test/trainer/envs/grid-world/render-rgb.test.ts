import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { makeEnv } from '@teacher-gateway/trainer';
import { FIXTURE_DIR } from './minigrid-fixtures.ts';

interface Image {
  shape: [number, number, number];
  b64: string;
}
interface Frame {
  after: string;
  full_rgb_tile32_highlight: Image;
  full_rgb_tile8_highlight: Image;
  pov_rgb_tile8: Image;
}
const recording = JSON.parse(
  readFileSync(new URL('render_frames_doorkey5x5.json', FIXTURE_DIR), 'utf8'),
) as {
  envs: { env_id: string; seed: number; actions: number[]; frames: Frame[] }[];
};

function assertImage(
  actual: { width: number; height: number; data: Uint8Array },
  expected: Image,
  what: string,
) {
  assert.deepEqual([actual.height, actual.width, 3], expected.shape, `${what}: shape`);
  const bytes = Buffer.from(expected.b64, 'base64');
  const same = Buffer.from(actual.data).equals(bytes);
  if (!same) {
    let differing = 0;
    for (let k = 0; k < bytes.length; k++) if (bytes[k] !== actual.data[k]) differing++;
    assert.fail(`${what}: ${differing} of ${bytes.length} bytes differ`);
  }
}

for (const { env_id: id, seed, actions, frames } of recording.envs) {
  test(`${id} seed ${seed}: renderRgb matches MiniGrid's full and agent-view frames`, () => {
    const env = makeEnv(id as `MiniGrid-${string}`);
    env.reset(seed);
    frames.forEach((frame, k) => {
      if (k > 0) env.step(actions[k - 1]!);
      const what = `frame after ${frame.after} (${k})`;
      assertImage(env.renderRgb(), frame.full_rgb_tile32_highlight, `${what} full tile 32`);
      assertImage(
        env.renderRgb({ tileSize: 8 }),
        frame.full_rgb_tile8_highlight,
        `${what} full tile 8`,
      );
      assertImage(
        env.renderRgb({ tileSize: 8, agentView: true }),
        frame.pov_rgb_tile8,
        `${what} agent view tile 8`,
      );
    });
  });
}

test('agent-view render is 56x56 at tile 8 in every env', () => {
  const env = makeEnv('MiniGrid-FourRooms-v0');
  env.reset(2);
  const image = env.renderRgb({ tileSize: 8, agentView: true });
  assert.equal(image.width, 56);
  assert.equal(image.height, 56);
  assert.equal(image.data.length, 56 * 56 * 3);
});
