import type { PhysicsTask } from './physics-task.ts';
import { buttonPressTask } from './tasks/button-press-task.ts';
import { pushTask } from './tasks/push-task.ts';
import { reachTask } from './tasks/reach-task.ts';

/** Every physics task by environment id; `makeEnv` registers each. */
export const PHYSICS_TASKS: Record<string, PhysicsTask> = {
  'Physics-Reach-v0': reachTask,
  'Physics-Push-v0': pushTask,
  'Physics-ButtonPress-v0': buttonPressTask,
};
