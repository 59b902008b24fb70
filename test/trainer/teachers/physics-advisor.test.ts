import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toPngDataUrl } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/to-png-data-url';
import { renderPhysicsScene } from '@teacher-gateway/trainer/internal/envs/physics/render-physics-scene';
import { physicsAdvisor } from '@teacher-gateway/trainer/internal/teachers/physics-advisor/physics-advisor';
import { suggestPhysicsAction } from '@teacher-gateway/trainer/internal/teachers/physics-advisor/suggest-physics-action';

const components = [
  { label: 'dx', low: -1, high: 1 },
  { label: 'dy', low: -1, high: 1 },
];

describe('physics advice', () => {
  it('the scripted policy heads for the goal, lines up behind the puck, and gets under the button', () => {
    assert.deepEqual(
      suggestPhysicsAction('reach', { hand: { x: 0, y: 0 }, goal: { x: 0.3, y: 0 } }),
      [1, 0],
    );
    // Puck between hand and goal, straight up: already lined up, push up.
    const push = suggestPhysicsAction('push', {
      hand: { x: 0, y: -0.1 },
      puck: { x: 0, y: 0 },
      goal: { x: 0, y: 0.3 },
    })!;
    assert.ok(push[1] > 0.9 && Math.abs(push[0]) < 0.2, String(push));
    // Hand on the goal side of the puck: go around (sideways and down), never straight through.
    const around = suggestPhysicsAction('push', {
      hand: { x: 0, y: 0.1 },
      puck: { x: 0, y: 0 },
      goal: { x: 0, y: 0.3 },
    })!;
    assert.ok(around[1] < 0 && Math.abs(around[0]) > 0.5, String(around));
    // Beside the button: move across first; underneath: push up.
    assert.equal(
      suggestPhysicsAction('button-press', {
        hand: { x: -0.3, y: -0.3 },
        button: { x: 0.2, y: 0.3 },
      })![0],
      1,
    );
    assert.equal(
      suggestPhysicsAction('button-press', {
        hand: { x: 0.2, y: 0.1 },
        button: { x: 0.2, y: 0.3 },
      })![1],
      1,
    );
  });

  it('the simulated VLM reads the picture and advises a move within the bounds', () => {
    const imageUrl = toPngDataUrl(
      renderPhysicsScene({ hand: { x: -0.2, y: 0 }, goal: { x: 0.2, y: 0 }, goalRadius: 0.05 }),
    );
    const advice = physicsAdvisor({
      task: 'Move the red gripper onto the centre of the green target.',
      imageUrl,
      components,
      accuracy: 1,
      random: () => 0.5,
    });
    assert.ok(advice);
    assert.ok(
      Math.abs(advice.action[0]! - 1) < 1e-9 && Math.abs(advice.action[1]!) < 0.1,
      String(advice.action),
    );
    assert.equal(advice.confidence, 1);
  });

  it('misjudges at the rate 1 - accuracy, and gives up on unreadable prompts', () => {
    const imageUrl = toPngDataUrl(
      renderPhysicsScene({ hand: { x: -0.2, y: 0 }, goal: { x: 0.2, y: 0 }, goalRadius: 0.05 }),
    );
    const draws = [0.95, 0.1, 0.9];
    const wrong = physicsAdvisor({
      task: 'reach the green target',
      imageUrl,
      components,
      accuracy: 0.8,
      random: () => draws.shift()!,
    });
    assert.deepEqual(
      wrong?.action.map((v) => Math.round(v * 100) / 100),
      [-0.8, 0.8],
    );
    assert.equal(physicsAdvisor({ task: 'do a dance', imageUrl, components }), null);
    assert.equal(
      physicsAdvisor({
        task: 'reach the target',
        imageUrl: 'data:image/png;base64,AAAA',
        components,
      }),
      null,
    );
  });
});
