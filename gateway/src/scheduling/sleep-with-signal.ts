import { setBoundedTimeout } from './set-bounded-timeout.ts';

/**
 * The real clock's sleep that the gateway hands its scheduler (tests hand a virtual one): resolves
 * after `ms` (clamped like every gateway timer), rejects with the signal's reason once it aborts.
 */
export function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setBoundedTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
