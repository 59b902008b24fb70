/**
 * @module
 * Every field of an algorithm's defaults is a `--kebab-case` flag: these turn the defaults into
 * parseArgs options and the parsed values back into typed arguments, for every training command.
 */

/** `totalFrames` → `total-frames`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

export function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new RangeError(`--${flag} must be a number, got "${text}"`);
  return value;
}

/** parseArgs options for each field: booleans are switches, everything else takes a value. */
export function fieldFlagOptions(
  defaults: object,
): Record<string, { type: 'boolean' } | { type: 'string' }> {
  return Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [
      kebab(key),
      typeof value === 'boolean' ? ({ type: 'boolean' } as const) : ({ type: 'string' } as const),
    ]),
  );
}

/** The defaults with every given flag applied; numeric fields are checked to be numbers. */
export function applyFieldFlags(
  defaults: object,
  values: Record<string, unknown>,
  base: Record<string, unknown> = { ...defaults },
): Record<string, unknown> {
  const args = { ...base };
  for (const [key, fallback] of Object.entries(defaults)) {
    const raw = values[kebab(key)] as string | boolean | undefined;
    if (raw === undefined) continue;
    args[key] = typeof fallback === 'number' ? parseNumber(kebab(key), String(raw)) : raw;
  }
  return args;
}

/** `--seeds 1,2,3`, or the defaults' own seed. */
export function parseSeeds(text: string | undefined, fallback: unknown): number[] {
  return (text ?? String(fallback)).split(',').map((seed) => parseNumber('seeds', seed.trim()));
}
