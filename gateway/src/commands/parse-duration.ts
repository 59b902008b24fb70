const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Reads an age such as `30d`, `12h`, `90m` or `45s` into milliseconds; undefined when it is not one.
 *
 * @example
 * parseDuration('30d') // 2592000000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Number(amount) * unitMs[unit as keyof typeof unitMs];
}
