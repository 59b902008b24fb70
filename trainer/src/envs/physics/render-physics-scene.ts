import type { RgbImage } from '../grid-world/rendering/render-grid.ts';
import { PHYSICS_COLORS } from './physics-colors.ts';
import type { PhysicsColorName } from './physics-colors.ts';
import type { PhysicsScene } from './physics-scene.ts';
import {
  BUTTON_HALF_HEIGHT,
  BUTTON_HALF_WIDTH,
  HAND_RADIUS,
  PUCK_RADIUS,
  TABLE_HALF_SIZE,
} from './physics-scene.ts';

/** Default side of the square render, in pixels (about 0.008 table units per pixel). */
export const RENDER_SIZE = 128;

/** Pixel column of table coordinate x (and row of y), for a `size`-pixel render. */
export function tableToPixel(value: number, size: number, axis: 'x' | 'y'): number {
  const unit = (value + TABLE_HALF_SIZE) / (2 * TABLE_HALF_SIZE);
  return (axis === 'x' ? unit : 1 - unit) * size;
}

/**
 * Draws a scene from above: table, goal region, button, puck, then the hand on top, with
 * flat colours and no anti-aliasing so every object can be found again by its colour.
 *
 * @example
 * const image = renderPhysicsScene({ hand: { x: 0, y: 0 }, goal: { x: 0.2, y: 0.3 }, goalRadius: 0.05 })
 */
export function renderPhysicsScene(scene: PhysicsScene, size = RENDER_SIZE): RgbImage {
  const data = new Uint8Array(size * size * 3);
  const image: RgbImage = { width: size, height: size, data };
  fillRect(image, 0, 0, size, size, 'border');
  fillRect(image, 1, 1, size - 1, size - 1, 'table');
  if (scene.goal) fillDisc(image, scene.goal.x, scene.goal.y, scene.goalRadius ?? 0.05, 'goal');
  if (scene.button) {
    const { x, y } = scene.button;
    const left = Math.round(tableToPixel(x - BUTTON_HALF_WIDTH, size, 'x'));
    const right = Math.round(tableToPixel(x + BUTTON_HALF_WIDTH, size, 'x'));
    const top = Math.round(tableToPixel(y + BUTTON_HALF_HEIGHT, size, 'y'));
    const bottom = Math.round(tableToPixel(y - BUTTON_HALF_HEIGHT, size, 'y'));
    fillRect(image, left, top, right, bottom, 'button');
  }
  if (scene.puck) fillDisc(image, scene.puck.x, scene.puck.y, PUCK_RADIUS, 'puck');
  fillDisc(image, scene.hand.x, scene.hand.y, HAND_RADIUS, 'hand');
  return image;
}

function setPixel(image: RgbImage, col: number, row: number, color: PhysicsColorName): void {
  if (col < 1 || row < 1 || col >= image.width - 1 || row >= image.height - 1) return;
  const [r, g, b] = PHYSICS_COLORS[color];
  const offset = (row * image.width + col) * 3;
  image.data[offset] = r;
  image.data[offset + 1] = g;
  image.data[offset + 2] = b;
}

/** Pixels [left, right) x [top, bottom). */
function fillRect(
  image: RgbImage,
  left: number,
  top: number,
  right: number,
  bottom: number,
  color: PhysicsColorName,
): void {
  const [r, g, b] = PHYSICS_COLORS[color];
  for (let row = Math.max(0, top); row < Math.min(image.height, bottom); row++) {
    for (let col = Math.max(0, left); col < Math.min(image.width, right); col++) {
      const offset = (row * image.width + col) * 3;
      image.data[offset] = r;
      image.data[offset + 1] = g;
      image.data[offset + 2] = b;
    }
  }
}

/** Every pixel whose centre lies inside the disc. */
function fillDisc(
  image: RgbImage,
  x: number,
  y: number,
  radius: number,
  color: PhysicsColorName,
): void {
  const size = image.width;
  const cx = tableToPixel(x, size, 'x');
  const cy = tableToPixel(y, size, 'y');
  const r = (radius / (2 * TABLE_HALF_SIZE)) * size;
  for (let row = Math.floor(cy - r); row <= Math.ceil(cy + r); row++) {
    for (let col = Math.floor(cx - r); col <= Math.ceil(cx + r); col++) {
      const dx = col + 0.5 - cx;
      const dy = row + 0.5 - cy;
      if (dx * dx + dy * dy <= r * r) setPixel(image, col, row, color);
    }
  }
}
