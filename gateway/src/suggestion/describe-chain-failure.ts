import { GatewayError } from '../errors/gateway-error.ts';

export interface ChainFailure {
  provider: string;
  error: GatewayError;
}

/**
 * The error for a request that no provider of its fallback chain could answer: every provider
 * tried and why (for one without a key, the variable to set), so the fix is in the message. The
 * last provider's code and Retry-After decide the status. One provider tried: its error as is.
 *
 * @example
 * describeChainFailure([{ provider: 'openai-mini', error }, { provider: 'gemini-flash', error: other }])
 * // 503 "no provider of the chain openai-mini → gemini-flash could answer: openai-mini: missing API key: ..."
 */
export function describeChainFailure(failures: readonly ChainFailure[]): GatewayError {
  const last = failures.at(-1);
  if (last === undefined) return new GatewayError('provider_unavailable', 'no provider could answer');
  if (failures.length === 1) return last.error;
  const chain = failures.map((failure) => failure.provider).join(' → ');
  const reasons = failures.map(({ provider, error }) => {
    const reason = typeof error.details.reason === 'string' ? error.details.reason : error.message;
    // Messages often start with the provider id already.
    return reason.startsWith(`${provider}`) ? reason : `${provider}: ${reason}`;
  });
  return new GatewayError(
    last.error.code,
    `no provider of the chain ${chain} could answer: ${reasons.join('; ')}`,
    {
      ...last.error.details,
      chain: failures.map(({ provider, error }) => ({ provider, code: error.code, message: error.message, ...error.details })),
    },
    last.error.retryAfterSeconds,
  );
}
