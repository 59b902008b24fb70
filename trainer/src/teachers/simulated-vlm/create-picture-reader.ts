import { createHash } from 'node:crypto';
import type { GridPictureReadResult } from '../../envs/grid-world/rendering/read-grid-picture.ts';
import { readPictureUrl } from './read-picture-url.ts';

/**
 * `readPictureUrl` remembering its last `capacity` pictures by content hash. A trainer asks about
 * one picture under several missions (GoToDoor: four), and decoding and reading it again was most
 * of the simulated VLM's time. Readings are shared: callers copy before changing one.
 */
export function createPictureReader(capacity: number): (url: string) => GridPictureReadResult {
  const readings = new Map<string, GridPictureReadResult>();
  return (url) => {
    const key = createHash('sha256').update(url).digest('base64');
    const known = readings.get(key);
    if (known !== undefined) return known;
    const reading = readPictureUrl(url);
    if (readings.size >= capacity) readings.delete(readings.keys().next().value!);
    readings.set(key, reading);
    return reading;
  };
}
