import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode } from 'fast-png';
import { encodeRgbPng, rgbToPngDataUrl, sha256Hex, toImageBytes } from '@teacher-gateway/client';

const frame = {
  width: 3,
  height: 2,
  data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]),
};

describe('PNG helpers', () => {
  test('encodeRgbPng round-trips through a PNG decoder and is deterministic', () => {
    const png = encodeRgbPng(frame);
    const decoded = decode(png);
    assert.equal(decoded.width, 3);
    assert.equal(decoded.height, 2);
    assert.equal(decoded.channels, 3);
    assert.deepEqual(Array.from(decoded.data), Array.from(frame.data));
    assert.equal(sha256Hex(encodeRgbPng(frame)), sha256Hex(png));
  });

  test('rgbToPngDataUrl is a PNG data URL whose bytes toImageBytes recovers', () => {
    const url = rgbToPngDataUrl(frame);
    assert.match(url, /^data:image\/png;base64,iVBORw0KGgo/);
    assert.deepEqual(new Uint8Array(toImageBytes(url)), encodeRgbPng(frame));
  });

  test('rejects a buffer of the wrong size', () => {
    assert.throws(
      () => encodeRgbPng({ width: 3, height: 3, data: frame.data }),
      /expected 27 bytes/,
    );
    assert.throws(
      () => encodeRgbPng({ width: 0, height: 2, data: new Uint8Array() }),
      /positive integers/,
    );
  });
});
