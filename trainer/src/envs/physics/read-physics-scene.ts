import type { RgbImage } from '../grid-world/rendering/render-grid.ts';
import { PHYSICS_COLORS } from './physics-colors.ts';
import type { PhysicsColorName } from './physics-colors.ts';
import type { Vec2 } from './physics-scene.ts';
import { TABLE_HALF_SIZE } from './physics-scene.ts';

/** What could be read from a top-down render: the centre of each object that is visible. */
export interface PhysicsSceneReading {
  hand?: Vec2;
  goal?: Vec2;
  puck?: Vec2;
  button?: Vec2;
}

export interface ReadPhysicsSceneOptions {
  /** Largest per-channel difference still counted as an object's colour (lossy re-encodings). Default 24. */
  colorTolerance?: number;
  /** Fewest pixels an object needs to count as seen. Default 4. */
  minPixels?: number;
}

const OBJECTS = ['hand', 'goal', 'puck', 'button'] as const satisfies readonly PhysicsColorName[];

/**
 * Finds each object of a physics render by its colour and returns the centroid of its pixels
 * in table coordinates. An object partly covered by another (the hand over the puck) reads
 * off-centre by up to its radius; one fully covered is absent.
 *
 * @example
 * const { hand, goal } = readPhysicsScene(env.render())
 */
export function readPhysicsScene(
  image: RgbImage,
  options: ReadPhysicsSceneOptions = {},
): PhysicsSceneReading {
  const tolerance = options.colorTolerance ?? 24;
  const minPixels = options.minPixels ?? 4;
  const { width, height, data } = image;
  const sums = OBJECTS.map(() => ({ col: 0, row: 0, count: 0 }));
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const offset = (row * width + col) * 3;
      const r = data[offset]!;
      const g = data[offset + 1]!;
      const b = data[offset + 2]!;
      for (let i = 0; i < OBJECTS.length; i++) {
        const [er, eg, eb] = PHYSICS_COLORS[OBJECTS[i]!];
        if (
          Math.abs(r - er) <= tolerance &&
          Math.abs(g - eg) <= tolerance &&
          Math.abs(b - eb) <= tolerance
        ) {
          const sum = sums[i]!;
          sum.col += col + 0.5;
          sum.row += row + 0.5;
          sum.count += 1;
          break;
        }
      }
    }
  }
  const reading: PhysicsSceneReading = {};
  OBJECTS.forEach((name, i) => {
    const { col, row, count } = sums[i]!;
    if (count < minPixels) return;
    reading[name] = {
      x: (col / count / width) * 2 * TABLE_HALF_SIZE - TABLE_HALF_SIZE,
      y: TABLE_HALF_SIZE - (row / count / height) * 2 * TABLE_HALF_SIZE,
    };
  });
  return reading;
}
