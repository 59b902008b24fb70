import type { PhysicsTask } from '../physics-task.ts';
import type { Vec2 } from '../physics-scene.ts';

const SUCCESS_RADIUS = 0.05;
const MIN_START_DISTANCE = 0.3;

/**
 * Reach (Meta-World `reach-v2`, flattened): move the hand onto a goal drawn anywhere on the
 * table, at least 0.3 away. Observation: hand x, y, goal x, y.
 */
export const reachTask: PhysicsTask = {
  instruction: 'Move the red gripper onto the centre of the green target.',
  maxEpisodeSteps: 100,
  observationSize: 4,
  observationLabels: ['hand_x', 'hand_y', 'goal_x', 'goal_y'],
  build(_world, random) {
    const handStart = { x: random.uniform(-0.35, 0.35), y: random.uniform(-0.35, 0.35) };
    let goal: Vec2;
    do {
      goal = { x: random.uniform(-0.4, 0.4), y: random.uniform(-0.4, 0.4) };
    } while (Math.hypot(goal.x - handStart.x, goal.y - handStart.y) < MIN_START_DISTANCE);
    return {
      handStart,
      observe: (hand) => Float32Array.of(hand.x, hand.y, goal.x, goal.y),
      isSuccess: (hand) => Math.hypot(goal.x - hand.x, goal.y - hand.y) < SUCCESS_RADIUS,
    };
  },
  sceneOf: (o) => ({
    hand: { x: o[0]!, y: o[1]! },
    goal: { x: o[2]!, y: o[3]! },
    goalRadius: SUCCESS_RADIUS,
  }),
};
