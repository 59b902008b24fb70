import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderCallError } from '../providers/provider.ts';
import { startCommand } from '../providers/start-command.ts';

/** What the messages may name about the provider: where it was asked, and which model. */
export interface ProviderHint {
  baseURL?: string | undefined;
  model?: string | undefined;
}

/** Translates a failed upstream call into the gateway's error vocabulary (API.md, Errors). */
export function mapProviderError(providerId: string, error: ProviderCallError, provider: ProviderHint = {}): GatewayError {
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
    case 'network': {
      const url = error.raw?.url ?? provider.baseURL;
      if (url === undefined) return new GatewayError('provider_error', `${providerId} failed: ${error.message}`, details);
      return new GatewayError('provider_error', `${providerId} is unreachable at ${url}: ${error.message}${startHint(url, provider)}`, {
        ...details,
        url,
      });
    }
    default:
      return new GatewayError('provider_error', `${providerId} failed: ${error.message}`, details);
  }
}

/** The simulated teacher is started by hand; say how, on the port the config expects it. */
function startHint(url: string, provider: ProviderHint): string {
  const command = startCommand(url, provider.model);
  return command ? `; start it with: ${command} (npm start does when no provider key is set)` : '';
}
