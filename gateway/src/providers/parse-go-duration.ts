const unitMs = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000_001 } as const;

/**
 * Reads a Go `time.Duration` string, as OpenAI writes them in `x-ratelimit-reset-*` headers and
 * in "Please try again in …" messages (`6m0s`, `19m0.864s`, `1h2m3s`, `1.5s`, `120ms`), into
 * milliseconds. A bare number counts as seconds (`retry-after` style). Anything else is undefined,
 * never a guess.
 *
 * @example
 * parseGoDuration('19m0.864s') // 1140864
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    total += Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  }
  return total;
}
