import { colorIndex } from '../../envs/grid-world/world/color.ts';
import { objectTypeIndex } from '../../envs/grid-world/world/object-type.ts';
import type { HeldObject } from './planner-world.ts';

/** The task a MiniGrid mission sentence asks for, in the planner's terms. */
export type MissionTask =
  | { kind: 'reach-goal' }
  | { kind: 'open-door' }
  | { kind: 'red-then-blue' }
  /** UnlockPickup, BlockedUnlockPickup, KeyCorridor: other objects may be moved out of the way. */
  | { kind: 'pick-up'; object: HeldObject }
  /** Fetch: any pickup ends the episode, so nothing else may be touched. */
  | { kind: 'fetch'; object: HeldObject }
  | { kind: 'put-near'; move: HeldObject; near: HeldObject }
  | { kind: 'go-to-door'; color: number }
  | { kind: 'memory' }
  | { kind: 'unknown' };

const OBJECT = String.raw`(red|green|blue|purple|yellow|grey) (key|ball|box)`;

function object(color: string | undefined, type: string | undefined): HeldObject {
  return { type: objectTypeIndex(type ?? ''), color: colorIndex(color ?? '') };
}

/** Reads the mission strings of the 30 MiniGrid ids (reference §6); anything else is `unknown`. */
export function parseMission(mission: string): MissionTask {
  const text = mission
    .trim()
    .toLowerCase()
    .replace(/[.\s]+$/, '')
    .replace(/\s+/g, ' ');
  let match: RegExpExecArray | null;
  if (text === 'open the red door then the blue door') return { kind: 'red-then-blue' };
  if (text === 'open the door') return { kind: 'open-door' };
  if (text.includes('matching object at the end of the hallway')) return { kind: 'memory' };
  if ((match = new RegExp(`^pick up the ${OBJECT}$`).exec(text)) !== null) {
    return { kind: 'pick-up', object: object(match[1], match[2]) };
  }
  if (
    (match = new RegExp(`^(?:get a|go get a|fetch a|go fetch a|you must fetch a) ${OBJECT}$`).exec(
      text,
    )) !== null
  ) {
    return { kind: 'fetch', object: object(match[1], match[2]) };
  }
  if ((match = new RegExp(`^put the ${OBJECT} near the ${OBJECT}$`).exec(text)) !== null) {
    return { kind: 'put-near', move: object(match[1], match[2]), near: object(match[3], match[4]) };
  }
  if ((match = /^go to the (red|green|blue|purple|yellow|grey) door$/.exec(text)) !== null) {
    return { kind: 'go-to-door', color: colorIndex(match[1] ?? '') };
  }
  if (text.includes('goal')) return { kind: 'reach-goal' };
  return { kind: 'unknown' };
}
