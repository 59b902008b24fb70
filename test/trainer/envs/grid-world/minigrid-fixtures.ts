import { readFileSync, readdirSync } from 'node:fs';
import type { RandomSource } from '@teacher-gateway/trainer/internal/random/random-source';

/** The MiniGrid reference recordings (see test/fixtures/minigrid/README.md). */
export const FIXTURE_DIR = new URL('../../../fixtures/minigrid/', import.meta.url);

export type RngCall =
  | ['integers', number, number, number]
  | ['shuffle', number, number[]]
  | ['choice', number[], number];

export interface FixtureStep {
  a: number;
  obs: string;
  r: number;
  term: boolean;
  trunc: boolean;
  pos: [number, number];
  dir: number;
  carry: [string, string] | null;
  grid_diff: [number, number, number, number, number][];
  rng_calls?: RngCall[];
}

export interface FixtureEpisode {
  kind: string;
  actions: number[];
  length: number;
  final: { terminated: boolean; truncated: boolean; return: number };
  steps: FixtureStep[];
}

export interface FixtureReset {
  grid: number[][][];
  agent_pos: [number, number];
  agent_dir: number;
  mission: string;
  max_steps: number;
  carrying: [string, string] | null;
  obs: string;
  extra: Record<string, unknown>;
  rng_calls: RngCall[];
}

export interface EnvFixture {
  env_id: string;
  config: {
    width: number;
    height: number;
    max_steps: number;
    agent_view_size: number;
    see_through_walls: boolean;
    action_space_n: number;
  };
  seeds: { seed: number; reset: FixtureReset; episodes: FixtureEpisode[] }[];
}

export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.startsWith('MiniGrid-') && name.endsWith('.json'))
    .sort();
}

export function loadFixture(name: string): EnvFixture {
  return JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8')) as EnvFixture;
}

/** Observation image as the fixtures store it: one hex digit per value, C order (7, 7, 3). */
export function imageHex(image: Uint8Array): string {
  let hex = '';
  for (const value of image) hex += value.toString(16);
  return hex;
}

/** `grid.encode()` flattened as `(x * height + y) * 3 + ch`, the port's grid encoding layout. */
export function flattenGrid(grid: number[][][]): Uint8Array {
  const width = grid.length;
  const height = grid[0]!.length;
  const flat = new Uint8Array(width * height * 3);
  grid.forEach((column, x) => column.forEach((cell, y) => flat.set(cell, (x * height + y) * 3)));
  return flat;
}

/** A random source that replays recorded `env.np_random` calls and checks each call's arguments. */
export class ScriptedRandom implements RandomSource {
  private index = 0;
  constructor(private readonly calls: readonly RngCall[]) {}

  get remaining(): number {
    return this.calls.length - this.index;
  }

  private next(): RngCall {
    const call = this.calls[this.index++];
    if (call === undefined)
      throw new Error(`scripted RNG exhausted after ${this.calls.length} calls`);
    return call;
  }

  integers(low: number, high: number): number {
    const call = this.next();
    if (call[0] !== 'integers' || call[1] !== low || call[2] !== high) {
      throw new Error(
        `call ${this.index - 1}: expected ${JSON.stringify(call)}, got integers(${low}, ${high})`,
      );
    }
    return call[3];
  }

  shuffle<T>(items: T[]): void {
    const call = this.next();
    if (call[0] !== 'shuffle' || call[1] !== items.length) {
      throw new Error(
        `call ${this.index - 1}: expected ${JSON.stringify(call)}, got shuffle of ${items.length}`,
      );
    }
    const original = items.slice();
    call[2].forEach((from, to) => (items[to] = original[from]!));
  }

  choice<T>(items: readonly T[]): T {
    const call = this.next();
    if (call[0] !== 'choice' || JSON.stringify(call[1]) !== JSON.stringify(items)) {
      throw new Error(
        `call ${this.index - 1}: expected ${JSON.stringify(call)}, got choice(${JSON.stringify(items)})`,
      );
    }
    return call[2] as T;
  }
}

/** Replays several recorded call lists back to back (reset draws, then each step's). */
export function concatCalls(...lists: (readonly RngCall[] | undefined)[]): RngCall[] {
  return lists.flatMap((list) => (list === undefined ? [] : [...list]));
}
