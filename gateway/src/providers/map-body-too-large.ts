import { findBodyTooLarge } from './create-bounded-fetch.ts';
import { ProviderCallError } from './provider.ts';
import type { RawExchange } from './provider.ts';

/**
 * The provider error for an upstream answer that passed the byte limit, if `error` is (or wraps)
 * one. Not retried: the same upstream will likely send the same flood again. The audit log keeps
 * the excerpt and sizes in place of the body.
 */
export function mapBodyTooLarge(
  error: unknown,
  raw: Partial<RawExchange>,
  clean: (text: string) => string,
): ProviderCallError | undefined {
  const tooLarge = findBodyTooLarge(error);
  if (!tooLarge) return undefined;
  return new ProviderCallError({
    kind: 'other',
    message: clean(tooLarge.message),
    status: tooLarge.status,
    retryable: false,
    raw: { ...raw, status: tooLarge.status, responseBody: tooLarge.toRawBody() },
  });
}
