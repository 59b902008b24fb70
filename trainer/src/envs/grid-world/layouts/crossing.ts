import { BASE_RULES } from '../layout.ts';
import type { GridWorldLayout } from '../layout.ts';
import { Goal, Lava, Wall } from '../world/world-object.ts';
import type { WorldObject } from '../world/world-object.ts';

type Obstacle = 'lava' | 'wall';

/** Python `range(low, high)` as a list, for `np_random.choice`. */
function range(low: number, high: number): number[] {
  const values: number[] = [];
  for (let v = low; v < high; v++) values.push(v);
  return values;
}

/** `CrossingEnv`: `crossings` rivers of lava or wall, with one opening per river on a random path. */
export function crossingLayout(
  size: number,
  crossings: number,
  obstacle: Obstacle,
): GridWorldLayout {
  const makeObstacle: () => WorldObject = obstacle === 'lava' ? () => new Lava() : () => new Wall();
  return {
    width: size,
    height: size,
    maxSteps: 4 * size * size,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      grid.wallRect(0, 0, size, size);
      state.agentX = 1;
      state.agentY = 1;
      state.agentDir = 0;
      grid.set(size - 2, size - 2, new Goal());

      const rivers: ['v' | 'h', number][] = [];
      for (let i = 2; i < size - 2; i += 2) rivers.push(['v', i]);
      for (let j = 2; j < size - 2; j += 2) rivers.push(['h', j]);
      state.rng.shuffle(rivers);
      const chosen = rivers.slice(0, crossings);
      const riversV = chosen
        .filter(([d]) => d === 'v')
        .map(([, p]) => p)
        .sort((a, b) => a - b);
      const riversH = chosen
        .filter(([d]) => d === 'h')
        .map(([, p]) => p)
        .sort((a, b) => a - b);

      for (const y of riversH) for (let x = 1; x < size - 1; x++) grid.set(x, y, makeObstacle());
      for (const x of riversV) for (let y = 1; y < size - 1; y++) grid.set(x, y, makeObstacle());

      const path: ('v' | 'h')[] = [
        ...riversV.map(() => 'h' as const),
        ...riversH.map(() => 'v' as const),
      ];
      state.rng.shuffle(path);
      const limitsV = [0, ...riversV, size - 1];
      const limitsH = [0, ...riversH, size - 1];
      let roomI = 0;
      let roomJ = 0;
      for (const direction of path) {
        let x: number;
        let y: number;
        if (direction === 'h') {
          x = limitsV[roomI + 1]!;
          y = state.rng.choice(range(limitsH[roomJ]! + 1, limitsH[roomJ + 1]!));
          roomI++;
        } else {
          x = state.rng.choice(range(limitsV[roomI]! + 1, limitsV[roomI + 1]!));
          y = limitsH[roomJ + 1]!;
          roomJ++;
        }
        grid.set(x, y, null);
      }
      state.mission =
        obstacle === 'lava'
          ? 'avoid the lava and get to the green goal square'
          : 'find the opening and get to the green goal square';
      return BASE_RULES;
    },
    restore: () => BASE_RULES,
  };
}
