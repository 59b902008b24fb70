import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderGrid } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/render-grid';
import { renderTile } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/render-tile';
import { FIXTURES, fixtureImage, loadDoorKeyFrames } from './doorkey-frames.ts';

interface TileEntry {
  obj: [number, number, number] | null;
  agent_dir: number | null;
  highlight: boolean;
  tile_size: number;
  img: { shape: [number, number, number]; b64: string };
}

function firstDifference(a: Uint8Array, b: Uint8Array, width: number): string {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const pixel = Math.floor(i / 3);
      return `first difference at x=${pixel % width}, y=${Math.floor(pixel / width)}, channel ${i % 3}: ${a[i]} vs ${b[i]}`;
    }
  }
  return a.length === b.length ? 'identical' : `lengths ${a.length} vs ${b.length}`;
}

test('every reference tile at size 8 is reproduced pixel for pixel', () => {
  const file = JSON.parse(readFileSync(new URL('render_tiles_8.json', FIXTURES), 'utf8')) as {
    tiles: TileEntry[];
  };
  assert.equal(file.tiles.length, 470);
  for (const entry of file.tiles) {
    const [type, color, state] = entry.obj ?? [1, 0, 0];
    const want = fixtureImage(entry.img);
    const got = renderTile(
      type,
      color,
      state,
      entry.agent_dir ?? -1,
      entry.highlight,
      entry.tile_size,
    );
    assert.ok(
      Buffer.from(got).equals(Buffer.from(want.data)),
      `tile ${JSON.stringify(entry.obj)} agent ${entry.agent_dir} highlight ${entry.highlight}: ${firstDifference(got, want.data, 8)}`,
    );
  }
});

test('every reference tile also comes out of renderGrid as a one-cell picture', () => {
  const file = JSON.parse(readFileSync(new URL('render_tiles_8.json', FIXTURES), 'utf8')) as {
    tiles: TileEntry[];
  };
  for (const entry of file.tiles) {
    const encoding = Uint8Array.from(entry.obj ?? [0, 0, 0]);
    const image = renderGrid(
      {
        width: 1,
        height: 1,
        encoding,
        agent: entry.agent_dir === null ? null : { x: 0, y: 0, dir: entry.agent_dir },
        highlight: Uint8Array.of(entry.highlight ? 1 : 0),
      },
      8,
    );
    assert.deepEqual(
      image.data,
      fixtureImage(entry.img).data,
      JSON.stringify([entry.obj, entry.agent_dir, entry.highlight]),
    );
  }
});

for (const frame of loadDoorKeyFrames()) {
  test(`DoorKey-5x5 seed 0 ${frame.after}: full frames at 32 and 8 and the agent view match`, () => {
    const cases = [
      ['full tile 32, highlighted', renderGrid(frame.full, 32), frame.full32],
      ['full tile 8, highlighted', renderGrid(frame.full, 8), frame.full8],
      [
        'full tile 8, no highlight',
        renderGrid(frame.fullUnhighlighted, 8),
        frame.full8Unhighlighted,
      ],
      ['agent view 56x56', renderGrid(frame.agentView, 8), frame.agentView8],
    ] as const;
    for (const [name, got, want] of cases) {
      assert.equal(got.width, want.width, name);
      assert.equal(got.height, want.height, name);
      assert.ok(
        Buffer.from(got.data).equals(Buffer.from(want.data)),
        `${name}: ${firstDifference(got.data, want.data, want.width)}`,
      );
    }
  });
}

test("FullyObsWrapper's agent cell (10, 0, dir) draws the agent facing dir", () => {
  const withAgentCell = renderGrid(
    { width: 1, height: 1, encoding: Uint8Array.of(10, 0, 2), agent: null, highlight: null },
    8,
  );
  const withAgent = renderGrid(
    {
      width: 1,
      height: 1,
      encoding: Uint8Array.of(1, 0, 0),
      agent: { x: 0, y: 0, dir: 2 },
      highlight: null,
    },
    8,
  );
  assert.deepEqual(withAgentCell.data, withAgent.data);
});

test('cached tiles at odd sizes equal freshly rendered ones, cell by cell', () => {
  for (const tileSize of [1, 5, 13, 32]) {
    const encoding = Uint8Array.of(2, 5, 0, 4, 3, 1, 9, 0, 0, 5, 4, 0, 8, 1, 0, 3, 2, 0);
    const image = renderGrid(
      {
        width: 3,
        height: 2,
        encoding,
        agent: { x: 2, y: 1, dir: 1 },
        highlight: Uint8Array.of(1, 0, 1, 1, 0, 1),
      },
      tileSize,
    );
    assert.equal(image.width, 3 * tileSize);
    assert.equal(image.height, 2 * tileSize);
    for (let x = 0; x < 3; x++) {
      for (let y = 0; y < 2; y++) {
        const cell = x * 2 + y;
        const tile = renderTile(
          encoding[cell * 3]!,
          encoding[cell * 3 + 1]!,
          encoding[cell * 3 + 2]!,
          cell === 5 ? 1 : -1,
          [1, 0, 1, 1, 0, 1][cell] === 1,
          tileSize,
        );
        for (let r = 0; r < tileSize; r++) {
          const from = ((y * tileSize + r) * image.width + x * tileSize) * 3;
          assert.deepEqual(
            image.data.subarray(from, from + tileSize * 3),
            tile.subarray(r * tileSize * 3, (r + 1) * tileSize * 3),
            `size ${tileSize} cell ${x},${y} row ${r}`,
          );
        }
      }
    }
  }
});

test('undrawable input is a RangeError', () => {
  const picture = (encoding: Uint8Array) => ({
    width: 1,
    height: 1,
    encoding,
    agent: null,
    highlight: null,
  });
  assert.throws(() => renderGrid(picture(Uint8Array.of(11, 0, 0)), 8), RangeError);
  assert.throws(() => renderGrid(picture(Uint8Array.of(2, 6, 0)), 8), RangeError);
  assert.throws(() => renderGrid(picture(Uint8Array.of(4, 0, 3)), 8), RangeError);
  assert.throws(() => renderGrid(picture(Uint8Array.of(1, 0)), 8), RangeError);
  assert.throws(() => renderGrid(picture(Uint8Array.of(1, 0, 0)), 0), RangeError);
  assert.throws(
    () => renderGrid({ ...picture(Uint8Array.of(1, 0, 0)), agent: { x: 1, y: 0, dir: 0 } }, 8),
    RangeError,
  );
});
