import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeEnv, toPngDataUrl } from '@teacher-gateway/trainer';
import type { GridWorldEnv } from '@teacher-gateway/trainer';
import { createPictureReader } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/create-picture-reader';
import { readPictureUrl } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/read-picture-url';

function pictureOf(seed: number): string {
  const env = makeEnv('MiniGrid-GoToDoor-5x5-v0') as GridWorldEnv;
  env.reset(seed);
  return toPngDataUrl(env.renderRgb({ tileSize: 8 }));
}

describe('createPictureReader', () => {
  it('reads a picture as readPictureUrl does, once, and forgets the oldest beyond its capacity', () => {
    const read = createPictureReader(2);
    const [a, b, c] = [pictureOf(1), pictureOf(2), pictureOf(3)];
    const first = read(a);
    assert.ok(first.ok);
    assert.deepEqual(first, readPictureUrl(a));
    // A copy of the URL (another string object) is the same picture.
    assert.equal(read(`${a.slice(0, 30)}${a.slice(30)}`), first);
    read(b);
    read(c);
    const again = read(a);
    assert.notEqual(again, first, 'evicted after two newer pictures');
    assert.deepEqual(again, first);
  });

  it('says why a URL cannot be read instead of throwing', () => {
    const read = createPictureReader(4);
    const notPng = read('data:image/png;base64,aGVsbG8=');
    assert.equal(notPng.ok, false);
    assert.match(notPng.ok ? '' : notPng.reason, /^cannot decode the image: /);
    const blank = toPngDataUrl({ width: 40, height: 40, data: new Uint8Array(40 * 40 * 3) });
    const unreadable = read(blank);
    assert.equal(unreadable.ok, false);
    assert.match(unreadable.ok ? '' : unreadable.reason, /^cannot read the image: /);
  });
});
