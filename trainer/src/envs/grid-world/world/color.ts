/** MiniGrid's COLOR_TO_IDX: the second channel of a cell encoding. */
export const Color = { red: 0, green: 1, blue: 2, purple: 3, yellow: 4, grey: 5 } as const;

export type ColorName = keyof typeof Color;

/** Names by index. */
export const COLOR_NAMES: readonly ColorName[] = [
  'red',
  'green',
  'blue',
  'purple',
  'yellow',
  'grey',
];

/**
 * MiniGrid's own `COLOR_NAMES` is `sorted(COLORS)`, and every random colour pick indexes it,
 * so seed-exact layouts must draw from this order rather than the index order above.
 */
export const RANDOM_COLOR_ORDER: readonly number[] = [
  Color.blue,
  Color.green,
  Color.grey,
  Color.purple,
  Color.red,
  Color.yellow,
];

export function colorIndex(name: string): number {
  const index = (Color as Record<string, number>)[name];
  if (index === undefined) throw new RangeError(`unknown MiniGrid colour "${name}"`);
  return index;
}
