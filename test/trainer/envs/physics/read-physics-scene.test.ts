import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePngDataUrl } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/decode-png-data-url';
import { toPngDataUrl } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/to-png-data-url';
import { makeEnv } from '@teacher-gateway/trainer/internal/envs/make-env';
import { readPhysicsScene } from '@teacher-gateway/trainer/internal/envs/physics/read-physics-scene';
import { renderPhysicsScene } from '@teacher-gateway/trainer/internal/envs/physics/render-physics-scene';
import type { Vec2 } from '@teacher-gateway/trainer/internal/envs/physics/physics-scene';

// One pixel of a 128-pixel render is 1/128 ≈ 0.008 table units.
const TOLERANCE = 0.01;

function near(actual: Vec2 | undefined, expected: Vec2, what: string): void {
  assert.ok(actual, `${what} not found`);
  const error = Math.hypot(actual.x - expected.x, actual.y - expected.y);
  assert.ok(
    error < TOLERANCE,
    `${what}: read (${actual.x}, ${actual.y}), drawn at (${expected.x}, ${expected.y})`,
  );
}

describe('readPhysicsScene', () => {
  it('reads back every object of a drawn scene, within a pixel', () => {
    const scene = {
      hand: { x: -0.3, y: -0.2 },
      goal: { x: 0.25, y: 0.3 },
      goalRadius: 0.07,
      puck: { x: 0.05, y: -0.05 },
      button: { x: -0.2, y: 0.35 },
    };
    const reading = readPhysicsScene(renderPhysicsScene(scene));
    near(reading.hand, scene.hand, 'hand');
    near(reading.goal, scene.goal, 'goal');
    near(reading.puck, scene.puck, 'puck');
    near(reading.button, scene.button, 'button');
  });

  it('reads the positions of real episode states through a PNG data URL, as the simulated VLM does', () => {
    for (const id of ['Physics-Reach-v0', 'Physics-Push-v0', 'Physics-ButtonPress-v0'] as const) {
      const env = makeEnv(id);
      for (const seed of [1, 2, 3, 4]) {
        const observation = env.reset(seed).observation;
        const scene = env.scene(observation);
        const reading = readPhysicsScene(decodePngDataUrl(toPngDataUrl(env.render())));
        near(reading.hand, scene.hand, `${id} seed ${seed} hand`);
        if (scene.goal) near(reading.goal, scene.goal, `${id} seed ${seed} goal`);
        if (scene.puck) near(reading.puck, scene.puck, `${id} seed ${seed} puck`);
        if (scene.button) near(reading.button, scene.button, `${id} seed ${seed} button`);
      }
      env.close();
    }
  });

  it('draws with y up: a higher object is nearer the top row', () => {
    const image = renderPhysicsScene({ hand: { x: 0, y: 0.4 } });
    const red = (row: number) => image.data[(row * image.width + 64) * 3] === 220;
    assert.ok(red(13) && !red(115));
  });
});
