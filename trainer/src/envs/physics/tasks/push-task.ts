import { RAPIER } from '../rapier.ts';
import type { PhysicsTask } from '../physics-task.ts';
import { PUCK_RADIUS } from '../physics-scene.ts';

const SUCCESS_RADIUS = 0.07;
// Stands in for table friction: without it a pushed puck would slide until it hit a wall.
const PUCK_LINEAR_DAMPING = 8;

/**
 * Push (Meta-World `push-v2`, flattened): push a puck from the lower half of the table into
 * a goal region in the upper half. The puck is a dynamic Rapier body, moved only by contact
 * with the hand. Observation: hand x, y, puck x, y, goal x, y.
 */
export const pushTask: PhysicsTask = {
  instruction: 'Push the blue puck into the green goal region with the red gripper.',
  maxEpisodeSteps: 150,
  observationSize: 6,
  observationLabels: ['hand_x', 'hand_y', 'puck_x', 'puck_y', 'goal_x', 'goal_y'],
  build(world, random) {
    const handStart = { x: random.uniform(-0.1, 0.1), y: -0.38 };
    const start = { x: random.uniform(-0.2, 0.2), y: random.uniform(-0.15, 0) };
    const goal = { x: random.uniform(-0.3, 0.3), y: random.uniform(0.15, 0.3) };
    const puck = world.createRigidBody(
      RAPIER.RigidBodyDesc.dynamic()
        .setTranslation(start.x, start.y)
        .setLinearDamping(PUCK_LINEAR_DAMPING)
        .setAngularDamping(PUCK_LINEAR_DAMPING)
        // A sleeping body is not woken by the kinematic hand: the hand would pass through it.
        .setCanSleep(false),
    );
    world.createCollider(
      RAPIER.ColliderDesc.ball(PUCK_RADIUS).setDensity(200).setFriction(0.3),
      puck,
    );
    return {
      handStart,
      observe: (hand) => {
        const p = puck.translation();
        return Float32Array.of(hand.x, hand.y, p.x, p.y, goal.x, goal.y);
      },
      isSuccess: () => {
        const p = puck.translation();
        return Math.hypot(goal.x - p.x, goal.y - p.y) < SUCCESS_RADIUS;
      },
    };
  },
  sceneOf: (o) => ({
    hand: { x: o[0]!, y: o[1]! },
    puck: { x: o[2]!, y: o[3]! },
    goal: { x: o[4]!, y: o[5]! },
    goalRadius: SUCCESS_RADIUS,
  }),
};
