/** The longest delay Node's timers take; past it they fire after 1 ms with a TimeoutOverflowWarning. */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * `setTimeout` for delays the gateway does not fully control (provider-asked pauses, configured
 * timeouts): the delay is clamped to [0, 2^31-1] ms, and a non-number becomes 0. A wait longer than
 * the clamp wakes early, which every caller tolerates by checking again.
 *
 * @example
 * setBoundedTimeout(pump, Number.POSITIVE_INFINITY) // fires after ~24.8 days, not after 1 ms
 */
export function setBoundedTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  return setTimeout(callback, boundTimerMs(ms));
}

/** The delay a timer can actually be set to. */
export function boundTimerMs(ms: number): number {
  if (!Number.isFinite(ms)) return Number.isNaN(ms) || ms < 0 ? 0 : maxTimerMs;
  return Math.min(maxTimerMs, Math.max(0, ms));
}
