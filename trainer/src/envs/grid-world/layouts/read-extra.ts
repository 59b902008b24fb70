import type { Position } from '../grid-world-state.ts';
import type { Extra } from '../layout.ts';

export interface ExtraReader {
  position(name: string): Position;
  positions(name: string): Position[];
  string(name: string): string;
  strings(name: string): string[];
}

/** Typed access to a recorded state's `extra`, failing loudly on a missing or malformed field. */
export function readExtra(extra: Extra, envName: string): ExtraReader {
  const fail = (name: string, what: string): never => {
    throw new TypeError(`${envName}: extra.${name} must be ${what}`);
  };
  const isPosition = (value: unknown): value is Position =>
    Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v));
  return {
    position(name) {
      const value = extra[name];
      return isPosition(value) ? [value[0], value[1]] : fail(name, 'an [x, y] position');
    },
    positions(name) {
      const value = extra[name];
      if (!Array.isArray(value) || !value.every(isPosition))
        return fail(name, 'a list of [x, y] positions');
      return value.map((p: Position): Position => [p[0], p[1]]);
    },
    strings(name) {
      const value = extra[name];
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? [...(value as string[])]
        : fail(name, 'a list of strings');
    },
    string(name) {
      const value = extra[name];
      return typeof value === 'string' ? value : fail(name, 'a string');
    },
  };
}
