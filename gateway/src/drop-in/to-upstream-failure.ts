import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderCallError } from '../providers/provider.ts';
import { UpstreamFailure } from './drop-in-error.ts';
import type { Wire } from './wire.ts';

/**
 * A failed pass-through call as the client should see it: the provider's own error kept whole
 * (status, body, retry headers) when it sent one, else the gateway's error for what happened.
 */
export function toUpstreamFailure(error: ProviderCallError | GatewayError, providerWire: Wire, providerId: string): GatewayError | UpstreamFailure {
  if (error instanceof GatewayError) return error;
  const details = { provider: providerId, kind: error.kind, ...(error.status ? { upstreamStatus: error.status } : {}) };
  // The key the provider refused is the gateway's, not the client's: not a 401 for the client.
  if (error.kind === 'unauthorized') {
    return new GatewayError('provider_unavailable', `${providerId} refused the gateway's API key: ${error.message}`, details);
  }
  const raw = error.raw;
  if (raw?.status !== undefined && raw.responseBody !== undefined) {
    return new UpstreamFailure({
      message: `${providerId}: ${error.message}`,
      providerWire,
      kind: error.kind,
      status: raw.status,
      body: raw.responseBody,
      headers: raw.headers ?? {},
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    });
  }
  if (error.kind === 'timeout') return new GatewayError('provider_timeout', `${providerId} did not answer in time: ${error.message}`, details);
  return new GatewayError('provider_error', `${providerId} failed: ${error.message}`, details);
}
