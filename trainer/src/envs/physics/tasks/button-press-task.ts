import { RAPIER } from '../rapier.ts';
import type { PhysicsTask } from '../physics-task.ts';
import { BUTTON_HALF_HEIGHT, BUTTON_HALF_WIDTH } from '../physics-scene.ts';

const REST_Y = 0.3;
const TRAVEL = 0.06;
/** Pressed once the cap has travelled this far in (of TRAVEL). */
const PRESSED_DEPTH = 0.045;

/**
 * Button press (Meta-World `button-press-topdown-v2`, seen from above): a cap on a spring-loaded
 * prismatic joint at the top of the table, pressed by pushing it upwards. The cap is a dynamic
 * body held by a position motor (the spring), so a press must keep pushing.
 * Observation: hand x, y, cap x, y, pressed depth as a fraction of its travel.
 */
export const buttonPressTask: PhysicsTask = {
  instruction: 'Press the orange button by pushing it upwards with the red gripper, from below.',
  maxEpisodeSteps: 100,
  observationSize: 5,
  observationLabels: ['hand_x', 'hand_y', 'button_x', 'button_y', 'button_depth'],
  build(world, random) {
    const handStart = { x: random.uniform(-0.3, 0.3), y: random.uniform(-0.4, -0.2) };
    const x = random.uniform(-0.3, 0.3);
    const housing = world.createRigidBody(RAPIER.RigidBodyDesc.fixed().setTranslation(x, REST_Y));
    const cap = world.createRigidBody(
      RAPIER.RigidBodyDesc.dynamic().setTranslation(x, REST_Y).setCanSleep(false),
    );
    world.createCollider(
      RAPIER.ColliderDesc.cuboid(BUTTON_HALF_WIDTH, BUTTON_HALF_HEIGHT).setDensity(200),
      cap,
    );
    const params = RAPIER.JointData.prismatic({ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 1 });
    params.limitsEnabled = true;
    params.limits = [0, TRAVEL];
    const joint = world.createImpulseJoint(params, housing, cap, true) as InstanceType<
      typeof RAPIER.PrismaticImpulseJoint
    >;
    joint.configureMotorPosition(0, 400, 20);
    const depth = () => Math.min(TRAVEL, Math.max(0, cap.translation().y - REST_Y));
    return {
      handStart,
      observe: (hand) => {
        const c = cap.translation();
        return Float32Array.of(hand.x, hand.y, c.x, c.y, depth() / TRAVEL);
      },
      isSuccess: () => depth() >= PRESSED_DEPTH,
    };
  },
  sceneOf: (o) => ({ hand: { x: o[0]!, y: o[1]! }, button: { x: o[2]!, y: o[3]! } }),
};
