/** MiniGrid's `Actions`. */
export const Action = {
  left: 0,
  right: 1,
  forward: 2,
  pickup: 3,
  drop: 4,
  toggle: 5,
  done: 6,
} as const;

export const ACTION_LABELS: readonly string[] = [
  'turn left',
  'turn right',
  'move forward',
  'pick up',
  'drop',
  'toggle',
  'done',
];

/** `DIR_TO_VEC`: 0 right, 1 down, 2 left, 3 up (y grows down). */
export const DIR_X: readonly number[] = [1, 0, -1, 0];
export const DIR_Y: readonly number[] = [0, 1, 0, -1];
