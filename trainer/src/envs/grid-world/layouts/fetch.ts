import type { GridWorldLayout, TaskRules } from '../layout.ts';
import { COLOR_NAMES, RANDOM_COLOR_ORDER, colorIndex } from '../world/color.ts';
import { OBJECT_TYPE_NAMES, objectTypeIndex } from '../world/object-type.ts';
import type { WorldObject } from '../world/world-object.ts';
import { readExtra } from './read-extra.ts';
import { makeObject } from './room-grid.ts';

const SYNTAX = ['get a', 'go get a', 'fetch a', 'go fetch a', 'you must fetch a'] as const;

/** `FetchEnv`: any pickup ends the episode; it succeeds if the object matches type and colour. */
export function fetchLayout(size: number, numObjs: number): GridWorldLayout {
  const rules = (targetType: number, targetColor: number): TaskRules => ({
    extra: () => ({
      target_type: OBJECT_TYPE_NAMES[targetType],
      target_color: COLOR_NAMES[targetColor],
    }),
    afterStep(state, _action, outcome) {
      const carrying = state.carrying;
      if (carrying === null) return;
      outcome.reward =
        carrying.type === targetType && carrying.color === targetColor ? state.reward() : 0;
      outcome.terminated = true;
    },
  });
  return {
    width: size,
    height: size,
    maxSteps: 5 * size * size,
    seeThroughWalls: true,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      grid.horzWall(0, 0);
      grid.horzWall(0, size - 1);
      grid.vertWall(0, 0);
      grid.vertWall(size - 1, 0);
      const objects: WorldObject[] = [];
      while (objects.length < numObjs) {
        const kind = state.randElem(['key', 'ball'] as const);
        const color = state.randElem(RANDOM_COLOR_ORDER);
        const object = makeObject(kind, color);
        state.placeObj(object);
        objects.push(object);
      }
      state.placeAgent();
      const target = objects[state.randInt(0, objects.length)]!;
      const syntax = SYNTAX[state.randInt(0, SYNTAX.length)]!;
      state.mission = `${syntax} ${COLOR_NAMES[target.color]} ${OBJECT_TYPE_NAMES[target.type]}`;
      return rules(target.type, target.color);
    },
    restore(_state, extra) {
      const fields = readExtra(extra, 'Fetch');
      return rules(
        objectTypeIndex(fields.string('target_type')),
        colorIndex(fields.string('target_color')),
      );
    },
  };
}
