/**
 * UTC to the millisecond, because runs span machines in different zones and the filter form
 * reads its times as UTC too.
 *
 * @example
 * formatTime(0) // '1970-01-01 00:00:00.000'
 */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
