import { Ball, Box, Door, Floor, Goal, Key, Lava, Wall } from './world-object.ts';
import type { WorldObject } from './world-object.ts';

type Decoder = (color: number, state: number) => WorldObject | null;

const nothing: Decoder = () => null;

/** Indexed by object type (the first encoding channel). */
const DECODERS: readonly Decoder[] = [
  nothing, // unseen
  nothing, // empty
  (color) => new Wall(color),
  (color) => new Floor(color),
  (color, state) => new Door(color, state === 0, state === 2),
  (color) => new Key(color),
  (color) => new Ball(color),
  (color) => new Box(color),
  (color) => new Goal(color),
  () => new Lava(),
];

/** MiniGrid's `WorldObj.decode`: an encoded (type, colour, state) cell back to an object. */
export function decodeObject(type: number, color: number, state: number): WorldObject | null {
  const decoder = DECODERS[type];
  if (decoder === undefined) throw new RangeError(`cannot decode object type ${type}`);
  return decoder(color, state);
}
