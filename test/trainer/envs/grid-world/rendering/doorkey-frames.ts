// The DoorKey-5x5 seed 0 reference frames turned into renderer inputs, straight from the
// fixture's grid, agent and obs, so these tests do not depend on the env implementation.
import { readFileSync } from 'node:fs';
import type { GridPicture } from '@teacher-gateway/trainer/internal/envs/grid-world/rendering/render-grid';

export const FIXTURES = new URL('../../../../fixtures/minigrid/', import.meta.url);

interface FixtureImage {
  shape: [number, number, number];
  b64: string;
}

export interface ReferenceImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface DoorKeyFrame {
  after: string;
  full: GridPicture;
  fullUnhighlighted: GridPicture;
  agentView: GridPicture;
  /** obs["image"] as a 7x7 encoding, `(i * 7 + j) * 3 + channel`. */
  obs: Uint8Array;
  full32: ReferenceImage;
  full8: ReferenceImage;
  full8Unhighlighted: ReferenceImage;
  agentView8: ReferenceImage;
}

export function fixtureImage(image: FixtureImage): ReferenceImage {
  const [height, width] = image.shape;
  return { width, height, data: new Uint8Array(Buffer.from(image.b64, 'base64')) };
}

const DIR_X = [1, 0, -1, 0];
const DIR_Y = [0, 1, 0, -1];
const VIEW = 7;

export function loadDoorKeyFrames(): DoorKeyFrame[] {
  const file = JSON.parse(
    readFileSync(new URL('render_frames_doorkey5x5.json', FIXTURES), 'utf8'),
  ) as {
    envs: { frames: Record<string, unknown>[] }[];
  };
  return file.envs[0]!.frames.map((frame) => {
    const grid = frame['grid'] as number[][][];
    const [ax, ay] = frame['agent_pos'] as [number, number];
    const dir = frame['agent_dir'] as number;
    const width = grid.length;
    const height = grid[0]!.length;
    const encoding = new Uint8Array(width * height * 3);
    for (let x = 0; x < width; x++)
      for (let y = 0; y < height; y++) encoding.set(grid[x]![y]!, (x * height + y) * 3);
    const obs = Uint8Array.from(frame['obs'] as string, (digit) => parseInt(digit, 16));

    // Visible view cells are exactly the non-unseen ones in obs; the full render highlights
    // them mapped back into the world (view cell (i, j) = pos + dir * (6 - j) + right * (i - 3)).
    const viewHighlight = new Uint8Array(VIEW * VIEW);
    const worldHighlight = new Uint8Array(width * height);
    const dx = DIR_X[dir]!;
    const dy = DIR_Y[dir]!;
    for (let i = 0; i < VIEW; i++) {
      for (let j = 0; j < VIEW; j++) {
        if (obs[(i * VIEW + j) * 3] === 0) continue;
        viewHighlight[i * VIEW + j] = 1;
        const x = ax + dx * (VIEW - 1 - j) - dy * (i - 3);
        const y = ay + dy * (VIEW - 1 - j) + dx * (i - 3);
        if (x >= 0 && x < width && y >= 0 && y < height) worldHighlight[x * height + y] = 1;
      }
    }
    const agent = { x: ax, y: ay, dir };
    return {
      after: frame['after'] as string,
      full: { width, height, encoding, agent, highlight: worldHighlight },
      fullUnhighlighted: { width, height, encoding, agent, highlight: null },
      agentView: {
        width: VIEW,
        height: VIEW,
        encoding: obs,
        agent: { x: 3, y: VIEW - 1, dir: 3 },
        highlight: viewHighlight,
      },
      obs,
      full32: fixtureImage(frame['full_rgb_tile32_highlight'] as FixtureImage),
      full8: fixtureImage(frame['full_rgb_tile8_highlight'] as FixtureImage),
      full8Unhighlighted: fixtureImage(frame['full_rgb_tile8_nohighlight'] as FixtureImage),
      agentView8: fixtureImage(frame['pov_rgb_tile8'] as FixtureImage),
    };
  });
}
