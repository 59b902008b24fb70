import { Action } from '../action.ts';
import type { Position } from '../grid-world-state.ts';
import type { GridWorldLayout, TaskRules } from '../layout.ts';
import { COLOR_NAMES, RANDOM_COLOR_ORDER } from '../world/color.ts';
import { Door } from '../world/world-object.ts';
import { readExtra } from './read-extra.ts';

/** `GoToDoorEnv`: four doors of distinct colours; say `done` next to the named one. */
export function goToDoorLayout(size: number): GridWorldLayout {
  const rules = ([tx, ty]: Position, targetColor: string): TaskRules => ({
    extra: () => ({ target_pos: [tx, ty], target_color: targetColor }),
    afterStep(state, action, outcome) {
      if (action === Action.toggle) outcome.terminated = true;
      if (action === Action.done) {
        const ax = state.agentX;
        const ay = state.agentY;
        if ((ax === tx && Math.abs(ay - ty) === 1) || (ay === ty && Math.abs(ax - tx) === 1)) {
          outcome.reward = state.reward();
        }
        outcome.terminated = true;
      }
    },
  });
  return {
    width: size,
    height: size,
    maxSteps: 4 * size * size,
    seeThroughWalls: true,
    actionCount: 7,
    generate(state) {
      const width = state.randInt(5, size + 1);
      const height = state.randInt(5, size + 1);
      state.grid.wallRect(0, 0, width, height);
      const doorPositions: Position[] = [
        [state.randInt(2, width - 2), 0],
        [state.randInt(2, width - 2), height - 1],
        [0, state.randInt(2, height - 2)],
        [width - 1, state.randInt(2, height - 2)],
      ];
      const colors: number[] = [];
      while (colors.length < doorPositions.length) {
        const color = state.randElem(RANDOM_COLOR_ORDER);
        if (!colors.includes(color)) colors.push(color);
      }
      doorPositions.forEach(([x, y], k) => state.grid.set(x, y, new Door(colors[k]!)));
      state.placeAgent();
      const target = state.randInt(0, doorPositions.length);
      state.mission = `go to the ${COLOR_NAMES[colors[target]!]} door`;
      return rules(doorPositions[target]!, COLOR_NAMES[colors[target]!]!);
    },
    restore(_state, extra) {
      const fields = readExtra(extra, 'GoToDoor');
      return rules(fields.position('target_pos'), fields.string('target_color'));
    },
  };
}
