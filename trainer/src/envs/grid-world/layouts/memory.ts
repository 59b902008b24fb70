import { Action } from '../action.ts';
import type { Position } from '../grid-world-state.ts';
import type { GridWorldLayout, TaskRules } from '../layout.ts';
import { Color } from '../world/color.ts';
import { Ball, Key, Wall } from '../world/world-object.ts';
import { readExtra } from './read-extra.ts';

/**
 * `MemoryEnv`: remember the object seen in the start room and walk to the matching one at
 * the end of the hallway.
 */
export function memoryLayout(size: number): GridWorldLayout {
  const rules = ([sx, sy]: Position, [fx, fy]: Position): TaskRules => ({
    extra: () => ({ success_pos: [sx, sy], failure_pos: [fx, fy] }),
    beforeStep: (_state, action) => (action === Action.pickup ? Action.toggle : action),
    afterStep(state, _action, outcome) {
      if (state.agentX === sx && state.agentY === sy) {
        outcome.reward = state.reward();
        outcome.terminated = true;
      }
      if (state.agentX === fx && state.agentY === fy) {
        outcome.reward = 0;
        outcome.terminated = true;
      }
    },
  });
  return {
    width: size,
    height: size,
    maxSteps: 5 * size * size,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      const width = size;
      const height = size;
      grid.horzWall(0, 0);
      grid.horzWall(0, height - 1);
      grid.vertWall(0, 0);
      grid.vertWall(width - 1, 0);
      const mid = Math.floor(height / 2);
      const upperRoomWall = mid - 2;
      const lowerRoomWall = mid + 2;
      const hallwayEnd = width - 3;
      for (let i = 1; i < 5; i++) {
        grid.set(i, upperRoomWall, new Wall());
        grid.set(i, lowerRoomWall, new Wall());
      }
      grid.set(4, upperRoomWall + 1, new Wall());
      grid.set(4, lowerRoomWall - 1, new Wall());
      for (let i = 5; i < hallwayEnd; i++) {
        grid.set(i, upperRoomWall + 1, new Wall());
        grid.set(i, lowerRoomWall - 1, new Wall());
      }
      for (let j = 0; j < height; j++) {
        if (j !== mid) grid.set(hallwayEnd, j, new Wall());
        grid.set(hallwayEnd + 2, j, new Wall());
      }
      state.agentX = state.randInt(1, hallwayEnd + 1);
      state.agentY = mid;
      state.agentDir = 0;

      const startIsKey = state.randElem([true, false]);
      grid.set(1, mid - 1, startIsKey ? new Key(Color.green) : new Ball(Color.green));
      // [Ball, Key] or [Key, Ball] for the two ends of the hallway.
      const upperIsBall = state.randElem([true, false]);
      const pos0: Position = [hallwayEnd + 1, mid - 2];
      const pos1: Position = [hallwayEnd + 1, mid + 2];
      grid.set(pos0[0], pos0[1], upperIsBall ? new Ball(Color.green) : new Key(Color.green));
      grid.set(pos1[0], pos1[1], upperIsBall ? new Key(Color.green) : new Ball(Color.green));
      const upperMatches = startIsKey !== upperIsBall;
      const upperPos: Position = [pos0[0], pos0[1] + 1];
      const lowerPos: Position = [pos1[0], pos1[1] - 1];
      state.mission = 'go to the matching object at the end of the hallway';
      return upperMatches ? rules(upperPos, lowerPos) : rules(lowerPos, upperPos);
    },
    restore(_state, extra) {
      const fields = readExtra(extra, 'Memory');
      return rules(fields.position('success_pos'), fields.position('failure_pos'));
    },
  };
}
