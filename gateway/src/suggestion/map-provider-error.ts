import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderCallError } from '../providers/provider.ts';

/** Translates a failed upstream call into the gateway's error vocabulary (API.md, Errors). */
export function mapProviderError(providerId: string, error: ProviderCallError): GatewayError {
  const details = { provider: providerId, kind: error.kind, ...(error.status ? { upstreamStatus: error.status } : {}) };
  const retryAfter = error.retryAfterMs !== undefined ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : undefined;
  switch (error.kind) {
    case 'rate-limited':
      return new GatewayError('rate_limited', `${providerId} is rate-limiting: ${error.message}`, details, retryAfter ?? 1);
    case 'quota-exhausted':
    case 'unauthorized':
      return new GatewayError('provider_unavailable', `${providerId}: ${error.message}`, details);
    case 'timeout':
      return new GatewayError('provider_timeout', `${providerId} did not answer in time: ${error.message}`, details);
    default:
      return new GatewayError('provider_error', `${providerId} failed: ${error.message}`, details);
  }
}
