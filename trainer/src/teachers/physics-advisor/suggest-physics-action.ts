import type { PhysicsSceneReading } from '../../envs/physics/read-physics-scene.ts';
import { BUTTON_HALF_HEIGHT, HAND_RADIUS, PUCK_RADIUS } from '../../envs/physics/physics-scene.ts';
import type { Vec2 } from '../../envs/physics/physics-scene.ts';

export type PhysicsTaskKind = 'reach' | 'push' | 'button-press';

/** Which task a prompt's `Task:` text describes, from its nouns; undefined when none fits. */
export function readPhysicsTaskKind(text: string): PhysicsTaskKind | undefined {
  if (/puck/i.test(text)) return 'push';
  if (/button/i.test(text)) return 'button-press';
  if (/target|goal/i.test(text)) return 'reach';
  return undefined;
}

/**
 * The table distance a full-scale action is assumed to move the hand. A VLM does not know the
 * env's exact scale; it only needs "full speed while far, slower when close".
 */
const ASSUMED_STEP = 0.04;
/** How far behind the puck (centre to centre, beyond contact) the hand lines up before pushing. */
const PUSH_STANDOFF = PUCK_RADIUS + HAND_RADIUS + 0.02;

/**
 * A scripted manipulation policy over the positions of a scene: straight to the goal (reach);
 * line up behind the puck, going around it if needed, then push it towards the goal (push);
 * get under the button, then push upwards (button press). Returns an action in [-1, 1]^2, or
 * undefined when an object the task needs is not in the reading.
 *
 * @example
 * suggestPhysicsAction('reach', { hand: { x: 0, y: 0 }, goal: { x: 0.2, y: 0 } }) // [1, 0]
 */
export function suggestPhysicsAction(
  kind: PhysicsTaskKind,
  scene: PhysicsSceneReading,
): [number, number] | undefined {
  const { hand } = scene;
  if (!hand) return undefined;
  switch (kind) {
    case 'reach':
      return scene.goal ? towards(hand, scene.goal) : undefined;
    case 'push': {
      const { puck, goal } = scene;
      if (!puck || !goal) return undefined;
      const toGoal = unit({ x: goal.x - puck.x, y: goal.y - puck.y });
      const behind = { x: puck.x - toGoal.x * PUSH_STANDOFF, y: puck.y - toGoal.y * PUSH_STANDOFF };
      const offLine = Math.hypot(behind.x - hand.x, behind.y - hand.y);
      if (offLine < 0.03) {
        // Lined up: push through the puck's centre, correcting drift off the line.
        return clampAction({
          x: toGoal.x + (behind.x - hand.x) / ASSUMED_STEP,
          y: toGoal.y + (behind.y - hand.y) / ASSUMED_STEP,
        });
      }
      // On the goal side of the puck: go around it, on the side the hand is already on.
      const ahead = (hand.x - puck.x) * toGoal.x + (hand.y - puck.y) * toGoal.y;
      if (ahead > -PUSH_STANDOFF * 0.5) {
        const side = Math.sign(toGoal.x * (hand.y - puck.y) - toGoal.y * (hand.x - puck.x)) || 1;
        const around = {
          x: puck.x - toGoal.x * PUSH_STANDOFF - side * toGoal.y * PUSH_STANDOFF * 1.5,
          y: puck.y - toGoal.y * PUSH_STANDOFF + side * toGoal.x * PUSH_STANDOFF * 1.5,
        };
        return towards(hand, around);
      }
      return towards(hand, behind);
    }
    case 'button-press': {
      const { button } = scene;
      if (!button) return undefined;
      const below = button.y - BUTTON_HALF_HEIGHT - HAND_RADIUS - 0.03;
      if (Math.abs(hand.x - button.x) > 0.03) {
        // Line up underneath first; drop below the cap if the hand is level with or above it.
        return towards(hand, { x: button.x, y: Math.min(hand.y, below) });
      }
      return clampAction({ x: (button.x - hand.x) / ASSUMED_STEP, y: 1 });
    }
  }
}

function towards(from: Vec2, to: Vec2): [number, number] {
  return clampAction({ x: (to.x - from.x) / ASSUMED_STEP, y: (to.y - from.y) / ASSUMED_STEP });
}

/** Scales a displacement so its largest component is at most 1 (keeps the direction). */
function clampAction(v: Vec2): [number, number] {
  const largest = Math.max(1, Math.abs(v.x), Math.abs(v.y));
  return [v.x / largest, v.y / largest];
}

function unit(v: Vec2): Vec2 {
  const length = Math.hypot(v.x, v.y) || 1;
  return { x: v.x / length, y: v.y / length };
}
