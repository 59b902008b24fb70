import type { GridWorldLayout, TaskRules } from '../layout.ts';
import { Color } from '../world/color.ts';
import { Door } from '../world/world-object.ts';
import type { GridWorldState } from '../grid-world-state.ts';
import { readExtra } from './read-extra.ts';

/** `RedBlueDoorEnv`: open the red door, then the blue one; opening blue first fails. */
export function redBlueDoorsLayout(size: number): GridWorldLayout {
  const rules = (red: Door, blue: Door): TaskRules => {
    let redBefore = false;
    let blueBefore = false;
    return {
      extra: (state) => ({
        red_door_pos: state.positionOf(red),
        blue_door_pos: state.positionOf(blue),
      }),
      beforeStep(_state, action) {
        redBefore = red.isOpen;
        blueBefore = blue.isOpen;
        return action;
      },
      afterStep(state, _action, outcome) {
        if (blue.isOpen) {
          outcome.reward = redBefore ? state.reward() : 0;
          outcome.terminated = true;
        } else if (red.isOpen && blueBefore) {
          outcome.reward = 0;
          outcome.terminated = true;
        }
      },
    };
  };
  const doorAt = (state: GridWorldState, [x, y]: [number, number], name: string): Door => {
    const door = state.grid.get(x, y);
    if (!(door instanceof Door)) throw new Error(`RedBlueDoors: no door at ${name} (${x}, ${y})`);
    return door;
  };
  const half = Math.floor(size / 2);
  return {
    width: 2 * size,
    height: size,
    maxSteps: 20 * size * size,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      grid.wallRect(0, 0, 2 * size, size);
      grid.wallRect(half, 0, size, size);
      state.placeAgent([half, 0], [size, size]);
      const red = new Door(Color.red);
      grid.set(half, state.randInt(1, size - 1), red);
      const blue = new Door(Color.blue);
      grid.set(half + size - 1, state.randInt(1, size - 1), blue);
      state.mission = 'open the red door then the blue door';
      return rules(red, blue);
    },
    restore(state, extra) {
      const fields = readExtra(extra, 'RedBlueDoors');
      return rules(
        doorAt(state, fields.position('red_door_pos'), 'red_door_pos'),
        doorAt(state, fields.position('blue_door_pos'), 'blue_door_pos'),
      );
    },
  };
}
