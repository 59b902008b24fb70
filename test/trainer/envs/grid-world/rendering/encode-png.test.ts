import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from 'fast-png';
import { decodePngDataUrl } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/decode-png-data-url';
import { decodePng } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/decode-png';
import { encodePng } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/encode-png';
import { readGridPicture } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/read-grid-picture';
import { toPngDataUrl } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/to-png-data-url';
import { loadDoorKeyFrames } from './doorkey-frames.ts';

test('encodePng and decodePng round-trip a rendered frame byte for byte', () => {
  const frame = loadDoorKeyFrames()[0]!;
  for (const image of [frame.full32, frame.agentView8]) {
    const png = encodePng(image);
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.deepEqual(decodePng(png), image);
  }
});

test('a PNG data URL decodes back and can be read as a grid picture', () => {
  const frame = loadDoorKeyFrames()[1]!;
  const url = toPngDataUrl(frame.agentView8);
  assert.match(url, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
  const image = decodePngDataUrl(url);
  assert.deepEqual(image, frame.agentView8);
  const reading = readGridPicture(image, { unhighlightedEmptyAs: 'unseen' });
  assert.ok(reading.ok);
  assert.deepEqual(reading.encoding, frame.obs);
  assert.throws(() => decodePngDataUrl('data:image/jpeg;base64,AAAA'));
  assert.throws(() => decodePng(new Uint8Array([1, 2, 3, 4])));
});

test('decodePng drops alpha, expands grey and palettes, and keeps the high byte of 16-bit samples', () => {
  const rgba = encode({
    width: 2,
    height: 1,
    channels: 4,
    depth: 8,
    data: Uint8Array.of(10, 20, 30, 0, 40, 50, 60, 255),
  });
  assert.deepEqual(decodePng(rgba), {
    width: 2,
    height: 1,
    data: Uint8Array.of(10, 20, 30, 40, 50, 60),
  });

  const grey = encode({
    width: 3,
    height: 1,
    channels: 1,
    depth: 8,
    data: Uint8Array.of(0, 128, 255),
  });
  assert.deepEqual(decodePng(grey).data, Uint8Array.of(0, 0, 0, 128, 128, 128, 255, 255, 255));

  const greyAlpha = encode({
    width: 1,
    height: 1,
    channels: 2,
    depth: 8,
    data: Uint8Array.of(77, 9),
  });
  assert.deepEqual(decodePng(greyAlpha).data, Uint8Array.of(77, 77, 77));

  const deep = encode({
    width: 1,
    height: 1,
    channels: 3,
    depth: 16,
    data: Uint16Array.of(0x1234, 0xabcd, 0xffff),
  });
  assert.deepEqual(decodePng(deep).data, Uint8Array.of(0x12, 0xab, 0xff));

  // Packed 1-bit grey: 10 pixels span two bytes per row.
  const bits = encode({
    width: 10,
    height: 2,
    channels: 1,
    depth: 1,
    data: Uint8Array.of(0b10100000, 0b01000000, 0b00000000, 0b11000000),
  });
  const unpacked = decodePng(bits).data.filter((_, i) => i % 3 === 0);
  assert.deepEqual(
    [...unpacked],
    [255, 0, 255, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255],
  );

  const indexed = encode({
    width: 3,
    height: 1,
    channels: 1,
    depth: 2,
    palette: [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ],
    data: Uint8Array.of(0b10_01_00_00),
  });
  assert.deepEqual(decodePng(indexed).data, Uint8Array.of(0, 0, 255, 0, 255, 0, 255, 0, 0));
});
