import { ObjectType } from '../../envs/grid-world/world/object-type.ts';
import { colorIndex } from '../../envs/grid-world/world/color.ts';
import type { HeldObject } from '../planner/planner-world.ts';
import type { VisibleState } from '../planner/world-from-picture.ts';

const FACING: Record<string, number> = {
  east: 0,
  right: 0,
  south: 1,
  down: 1,
  west: 2,
  left: 2,
  north: 3,
  up: 3,
};
const COLORS = '(red|green|blue|purple|yellow|grey|gray)';

/** A MiniGrid thing named in words ("locked yellow door", "green goal", "wall"), as a cell triple. */
function describeToCell(description: string): [number, number, number] | null {
  const text = description
    .toLowerCase()
    .replace(/^(a|an|the)\s+/, '')
    .replace('gray', 'grey')
    .trim();
  const color = (fallback: number) => {
    const m = new RegExp(COLORS).exec(text);
    return m === null ? fallback : colorIndex(m[1] === 'gray' ? 'grey' : m[1]!);
  };
  if (/\bdoor\b/.test(text))
    return [ObjectType.door, color(4), /locked/.test(text) ? 2 : /open/.test(text) ? 0 : 1];
  if (/\bkey\b/.test(text)) return [ObjectType.key, color(2), 0];
  if (/\bball\b/.test(text)) return [ObjectType.ball, color(2), 0];
  if (/\bbox\b/.test(text)) return [ObjectType.box, color(4), 0];
  if (/\bgoal\b/.test(text)) return [ObjectType.goal, 1, 0];
  if (/\blava\b/.test(text)) return [ObjectType.lava, 0, 0];
  if (/\bwall\b/.test(text)) return [ObjectType.wall, 5, 0];
  if (/\bfloor\b/.test(text)) return [ObjectType.floor, color(2), 0];
  return null;
}

/**
 * The grid a minigrid-text prompt describes ("The grid is W cells wide and H cells high", the
 * agent's cell and facing, what it carries, "- a <thing> at x=, y="). Unlisted walls are assumed
 * to be the outer wall every MiniGrid room has. Null when the words do not describe a grid.
 */
export function readTextGrid(text: string, mission: string): VisibleState | null {
  const size = /grid is (\d+) cells wide and (\d+) cells high/i.exec(text);
  const agent = /agent is at x=(\d+), y=(\d+), facing (\w+)/i.exec(text);
  if (size === null || agent === null) return null;
  const width = Number(size[1]);
  const height = Number(size[2]);
  const dir = FACING[agent[3]!.toLowerCase()];
  if (!(width >= 3 && height >= 3 && width <= 64 && height <= 64) || dir === undefined) return null;
  const encoding = new Uint8Array(width * height * 3);
  for (let c = 0; c < width * height; c++) encoding[c * 3] = ObjectType.empty;
  const put = (x: number, y: number, cell: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    encoding.set(cell, (x * height + y) * 3);
  };
  let walls = 0;
  for (const m of text.matchAll(/^\s*-\s*(?:an?\s+)?(.+?) at x=(\d+), y=(\d+)/gim)) {
    const cell = describeToCell(m[1]!);
    if (cell === null) continue;
    if (cell[0] === ObjectType.wall) walls++;
    put(Number(m[2]), Number(m[3]), cell);
  }
  if (walls === 0) {
    for (let x = 0; x < width; x++) {
      put(x, 0, [ObjectType.wall, 5, 0]);
      put(x, height - 1, [ObjectType.wall, 5, 0]);
    }
    for (let y = 0; y < height; y++) {
      put(0, y, [ObjectType.wall, 5, 0]);
      put(width - 1, y, [ObjectType.wall, 5, 0]);
    }
  }
  let carrying: HeldObject | null = null;
  const carried = /agent carries (?:an?\s+)?(.+?)\.\s*$/im.exec(text);
  if (carried !== null && !/nothing/i.test(carried[1]!)) {
    const cell = describeToCell(carried[1]!);
    if (cell !== null) carrying = { type: cell[0], color: cell[1] };
  }
  return {
    grid: { width, height, encoding, agent: { x: Number(agent[1]), y: Number(agent[2]), dir } },
    mission,
    carrying,
  };
}
