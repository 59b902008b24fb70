export interface SingleFlight<T> {
  /**
   * Runs `work` for the key unless a run is already in flight, in which case the caller joins it.
   * The run's signal aborts only when every caller that joined has aborted, so one impatient
   * client never cancels an answer others still wait for.
   */
  run(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): { promise: Promise<T>; joined: boolean };
  inFlight(): number;
}

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiting: number;
}

/**
 * Single-flight execution keyed by string: concurrent callers with the same key share one run.
 *
 * @example
 * const { promise, joined } = flights.run(cacheKey, (signal) => callUpstream(signal), request.signal)
 */
export function createSingleFlight<T>(): SingleFlight<T> {
  const flights = new Map<string, Flight<T>>();
  const follow = (flight: Flight<T>, signal: AbortSignal | undefined) => {
    if (!signal) {
      // A caller that cannot go away keeps the run alive for good.
      flight.waiting = Number.POSITIVE_INFINITY;
      return;
    }
    flight.waiting += 1;
    const leave = () => {
      flight.waiting -= 1;
      if (flight.waiting <= 0) flight.controller.abort(signal.reason);
    };
    if (signal.aborted) return leave();
    signal.addEventListener('abort', leave, { once: true });
    void flight.promise.then(
      () => signal.removeEventListener('abort', leave),
      () => signal.removeEventListener('abort', leave),
    );
  };
  return {
    run(key, work, signal) {
      const existing = flights.get(key);
      if (existing) {
        follow(existing, signal);
        return { promise: existing.promise, joined: true };
      }
      const controller = new AbortController();
      const flight: Flight<T> = { promise: work(controller.signal), controller, waiting: 0 };
      flights.set(key, flight);
      follow(flight, signal);
      const done = () => {
        if (flights.get(key) === flight) flights.delete(key);
      };
      flight.promise.then(done, done);
      return { promise: flight.promise, joined: false };
    },
    inFlight: () => flights.size,
  };
}
