/** A point on the table, in table units: x to the right, y upwards, both in [-0.5, 0.5]. */
export interface Vec2 {
  x: number;
  y: number;
}

/**
 * What a top-down picture of a physics task shows. Every task's observation decodes to one,
 * so a frame can be drawn for any stored state without the simulator.
 */
export interface PhysicsScene {
  /** The end-effector (a red disc). */
  hand: Vec2;
  /** Target region of reach and push (a green disc of radius `goalRadius`). */
  goal?: Vec2;
  goalRadius?: number;
  /** The puck of push (a blue disc). */
  puck?: Vec2;
  /** Centre of the button's cap (an orange bar). */
  button?: Vec2;
}

/** Half the table's side: positions lie in [-TABLE_HALF_SIZE, TABLE_HALF_SIZE]. */
export const TABLE_HALF_SIZE = 0.5;
export const HAND_RADIUS = 0.04;
export const PUCK_RADIUS = 0.04;
/** Half extents of the button cap. */
export const BUTTON_HALF_WIDTH = 0.06;
export const BUTTON_HALF_HEIGHT = 0.02;
