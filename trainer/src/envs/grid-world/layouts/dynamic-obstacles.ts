import { Action } from '../action.ts';
import type { GridWorldState } from '../grid-world-state.ts';
import type { GridWorldLayout, TaskRules } from '../layout.ts';
import { ObjectType } from '../world/object-type.ts';
import { Ball, Goal } from '../world/world-object.ts';
import { readExtra } from './read-extra.ts';

interface Obstacle {
  ball: Ball;
  x: number;
  y: number;
}

/**
 * `DynamicObstaclesEnv`: blue balls hop to a random neighbouring cell every step; moving
 * forward into anything but the goal (judged before they move) is a -1 collision.
 */
export function dynamicObstaclesLayout(size: number, numObstacles: number): GridWorldLayout {
  const rules = (obstacles: Obstacle[]): TaskRules => {
    let notClear = false;
    return {
      extra: () => ({ obstacles: obstacles.map(({ x, y }) => [x, y]), action_space_n: 3 }),
      beforeStep(state, action) {
        const applied = action >= 3 ? Action.left : action;
        const front = state.grid.get(state.frontX, state.frontY);
        notClear = front !== null && front.type !== ObjectType.goal;
        moveObstacles(state, obstacles);
        return applied;
      },
      afterStep(_state, action, outcome) {
        if (action === Action.forward && notClear) {
          outcome.reward = -1;
          outcome.terminated = true;
        }
      },
    };
  };
  return {
    width: size,
    height: size,
    maxSteps: 4 * size * size,
    seeThroughWalls: true,
    actionCount: 3,
    generate(state) {
      state.grid.wallRect(0, 0, size, size);
      state.grid.set(size - 2, size - 2, new Goal());
      state.agentX = 1;
      state.agentY = 1;
      state.agentDir = 0;
      const obstacles: Obstacle[] = [];
      for (let k = 0; k < numObstacles; k++) {
        const ball = new Ball();
        const [x, y] = state.placeObj(ball, undefined, undefined, undefined, 100);
        obstacles.push({ ball, x, y });
      }
      state.mission = 'get to the green goal square';
      return rules(obstacles);
    },
    restore(state, extra) {
      const obstacles = readExtra(extra, 'Dynamic-Obstacles')
        .positions('obstacles')
        .map(([x, y]): Obstacle => {
          const ball = state.grid.get(x, y);
          if (!(ball instanceof Ball))
            throw new Error(`Dynamic-Obstacles: no ball at obstacle (${x}, ${y})`);
          return { ball, x, y };
        });
      return rules(obstacles);
    },
  };
}

/** Each ball tries a cell of its 3x3 neighbourhood; after 101 failed draws it stays put. */
function moveObstacles(state: GridWorldState, obstacles: Obstacle[]): void {
  for (const obstacle of obstacles) {
    let target: [number, number];
    try {
      target = state.placeObj(
        obstacle.ball,
        [obstacle.x - 1, obstacle.y - 1],
        [3, 3],
        undefined,
        100,
      );
    } catch {
      continue;
    }
    state.grid.set(obstacle.x, obstacle.y, null);
    obstacle.x = target[0];
    obstacle.y = target[1];
  }
}
