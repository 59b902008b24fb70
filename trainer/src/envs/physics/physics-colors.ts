/**
 * The palette of the top-down render. Saturated, far-apart colours, drawn without
 * anti-aliasing, so that a reader (the simulated VLM's perception, or a test) can find each
 * object by exact colour.
 */
export const PHYSICS_COLORS = {
  table: [235, 235, 235],
  border: [60, 60, 60],
  goal: [40, 190, 60],
  puck: [30, 80, 230],
  button: [250, 150, 20],
  hand: [220, 30, 30],
} as const satisfies Record<string, readonly [number, number, number]>;

export type PhysicsColorName = keyof typeof PHYSICS_COLORS;
