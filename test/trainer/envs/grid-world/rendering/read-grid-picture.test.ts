import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGridPicture } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/read-grid-picture';
import type {
  GridPicture,
  RgbImage,
} from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/render-grid';
import { renderGrid } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/render-grid';
import { loadDoorKeyFrames } from './doorkey-frames.ts';

// Small deterministic PRNG so failures reproduce.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Every encoding the reader can tell apart (a green wall is indistinguishable from the goal).
const CELLS: [number, number, number][] = [
  [1, 0, 0],
  [8, 1, 0],
  [9, 0, 0],
];
for (let c = 0; c < 6; c++) {
  if (c !== 1) CELLS.push([2, c, 0]);
  for (const type of [3, 5, 6, 7]) CELLS.push([type, c, 0]);
  for (const state of [0, 1, 2]) CELLS.push([4, c, state]);
}
const UNDER_AGENT = CELLS.filter(([t, , s]) => t !== 2 && !(t === 4 && s !== 0));

function randomPicture(rand: () => number): GridPicture {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const width = 3 + Math.floor(rand() * 8);
  const height = 3 + Math.floor(rand() * 8);
  const encoding = new Uint8Array(width * height * 3);
  const highlight = new Uint8Array(width * height);
  for (let cell = 0; cell < width * height; cell++) {
    encoding.set(pick(CELLS), cell * 3);
    highlight[cell] = rand() < 0.4 ? 1 : 0;
  }
  const agent = {
    x: Math.floor(rand() * width),
    y: Math.floor(rand() * height),
    dir: Math.floor(rand() * 4),
  };
  encoding.set(pick(UNDER_AGENT), (agent.x * height + agent.y) * 3);
  return { width, height, encoding, agent, highlight };
}

function assertReadsBack(
  image: RgbImage,
  picture: GridPicture,
  tileSize: number,
  label: string,
  options = {},
): void {
  const reading = readGridPicture(image, options);
  assert.ok(reading.ok, `${label}: ${reading.ok ? '' : reading.reason}`);
  assert.equal(reading.tileSize, tileSize, label);
  assert.equal(reading.width, picture.width, label);
  assert.equal(reading.height, picture.height, label);
  assert.deepEqual(reading.encoding, picture.encoding, label);
  assert.deepEqual(reading.agent, picture.agent, label);
  assert.deepEqual(
    reading.highlight,
    picture.highlight ?? new Uint8Array(picture.width * picture.height),
    label,
  );
  assert.equal(reading.confidence, 1, label);
}

for (const tileSize of [5, 8, 13, 32]) {
  test(`random pictures rendered at tile size ${tileSize} read back exactly, with and without the grid size`, () => {
    const rand = mulberry32(tileSize);
    for (let i = 0; i < 12; i++) {
      const picture = randomPicture(rand);
      const image = renderGrid(picture, tileSize);
      assertReadsBack(
        image,
        picture,
        tileSize,
        `picture ${i} (${picture.width}x${picture.height})`,
      );
      assertReadsBack(image, picture, tileSize, `picture ${i} with size`, {
        width: picture.width,
        height: picture.height,
      });
    }
  });
}

test('the DoorKey reference frames read back as the fixture grid and obs', () => {
  for (const frame of loadDoorKeyFrames()) {
    for (const [image, tileSize] of [
      [frame.full32, 32],
      [frame.full8, 8],
    ] as const) {
      const reading = readGridPicture(image);
      assert.ok(reading.ok, frame.after);
      assert.equal(reading.tileSize, tileSize);
      assert.deepEqual(reading.encoding, frame.full.encoding, frame.after);
      assert.deepEqual(reading.agent, frame.full.agent, frame.after);
      assert.deepEqual(reading.highlight, frame.full.highlight, frame.after);
    }
    const view = readGridPicture(frame.agentView8, {
      width: 7,
      height: 7,
      unhighlightedEmptyAs: 'unseen',
    });
    assert.ok(view.ok, frame.after);
    assert.deepEqual(
      view.encoding,
      frame.obs,
      `${frame.after}: the agent view decodes to obs["image"]`,
    );
    assert.deepEqual(view.agent, { x: 3, y: 6, dir: 3 });
  }
});

test('mild noise still reads back, with confidence below 1', () => {
  const rand = mulberry32(99);
  for (const tileSize of [8, 32]) {
    const picture = randomPicture(rand);
    const image = renderGrid(picture, tileSize);
    const noisy = image.data.map((v) =>
      Math.min(255, Math.max(0, v + Math.round((rand() - 0.5) * 10))),
    );
    const reading = readGridPicture({ ...image, data: noisy });
    assert.ok(reading.ok, reading.ok ? '' : reading.reason);
    assert.equal(reading.tileSize, tileSize);
    assert.deepEqual(reading.encoding, picture.encoding);
    assert.deepEqual(reading.agent, picture.agent);
    assert.deepEqual(reading.highlight, picture.highlight);
    assert.ok(reading.confidence > 0 && reading.confidence < 1, `confidence ${reading.confidence}`);
  }
});

test('images that are not MiniGrid renders give ok: false, never an exception', () => {
  const rand = mulberry32(7);
  const noise = (w: number, h: number): RgbImage => ({
    width: w,
    height: h,
    data: Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rand() * 256)),
  });
  const bad: [string, RgbImage, object?][] = [
    ['random noise 56x56', noise(56, 56)],
    ['random noise 160x160', noise(160, 160)],
    ['random noise with a given grid size', noise(56, 56), { width: 7, height: 7 }],
    ['all black', { width: 56, height: 56, data: new Uint8Array(56 * 56 * 3) }],
    ['no tile size fits', noise(57, 31)],
    ['data too short', { width: 56, height: 56, data: new Uint8Array(10) }],
    ['zero size', { width: 0, height: 0, data: new Uint8Array(0) }],
    ['grid size that does not divide the image', noise(56, 56), { width: 5, height: 5 }],
    ['not an image at all', { width: 8, height: 8, data: null } as unknown as RgbImage],
  ];
  for (const [label, image, options] of bad) {
    const reading = readGridPicture(image, options);
    assert.equal(reading.ok, false, label);
    assert.ok(!reading.ok && reading.reason.length > 0, label);
  }
  // Two agents cannot come from one MiniGrid frame.
  const picture = randomPicture(mulberry32(3));
  const image = renderGrid(picture, 8);
  const other = renderGrid(
    {
      ...picture,
      agent: { x: (picture.agent!.x + 1) % picture.width, y: picture.agent!.y, dir: 0 },
    },
    8,
  );
  const stitched = image.data.slice();
  const ax = (picture.agent!.x + 1) % picture.width;
  for (let r = 0; r < 8; r++) {
    const from = ((picture.agent!.y * 8 + r) * image.width + ax * 8) * 3;
    stitched.set(other.data.subarray(from, from + 24), from);
  }
  const twoAgents = readGridPicture({ ...image, data: stitched });
  assert.equal(twoAgents.ok, false);
});
