/** MiniGrid's OBJECT_TO_IDX: the first channel of a cell encoding. */
export const ObjectType = {
  unseen: 0,
  empty: 1,
  wall: 2,
  floor: 3,
  door: 4,
  key: 5,
  ball: 6,
  box: 7,
  goal: 8,
  lava: 9,
  agent: 10,
} as const;

export type ObjectTypeName = keyof typeof ObjectType;

/** Names by index, for snapshots and missions. */
export const OBJECT_TYPE_NAMES: readonly ObjectTypeName[] = [
  'unseen',
  'empty',
  'wall',
  'floor',
  'door',
  'key',
  'ball',
  'box',
  'goal',
  'lava',
  'agent',
];

export function objectTypeIndex(name: string): number {
  const index = (ObjectType as Record<string, number>)[name];
  if (index === undefined) throw new RangeError(`unknown MiniGrid object type "${name}"`);
  return index;
}
