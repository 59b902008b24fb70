export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before letting one probe through. */
  openMs: number;
  now: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** 0 when a call may go now; otherwise ms until the next probe may. */
  check(): number;
  state(): CircuitState;
  success(): void;
  failure(): void;
}

/**
 * Stops calling a provider that keeps failing, so clients get a fast 503 (or the fallback)
 * instead of waiting out timeouts, and lets a single probe test it after `openMs`.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  let failures = 0;
  let openedAt: number | undefined;
  let probing = false;
  const currentState = (): CircuitState => {
    if (openedAt === undefined) return 'closed';
    return options.now() - openedAt >= options.openMs ? 'half-open' : 'open';
  };
  return {
    check() {
      const state = currentState();
      if (state === 'closed') return 0;
      if (state === 'open') return options.openMs - (options.now() - (openedAt ?? 0));
      if (probing) return Math.max(1, Math.round(options.openMs / 10));
      probing = true;
      return 0;
    },
    state: currentState,
    success() {
      failures = 0;
      openedAt = undefined;
      probing = false;
    },
    failure() {
      failures += 1;
      if (probing || failures >= options.failureThreshold) {
        openedAt = options.now();
        probing = false;
      }
    },
  };
}
