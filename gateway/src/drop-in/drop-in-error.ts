import type { ProviderErrorKind } from '../providers/provider.ts';
import type { Wire } from './wire.ts';

/**
 * A provider's own failure, kept whole so the endpoint can hand it to the client as the provider
 * sent it (same kind) or in the client's shape (translated), with the retry headers the SDKs obey.
 */
export class UpstreamFailure extends Error {
  readonly providerWire: Wire;
  readonly kind: ProviderErrorKind;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly retryAfterMs: number | undefined;

  constructor(options: {
    message: string;
    providerWire: Wire;
    kind: ProviderErrorKind;
    status: number;
    body: unknown;
    headers: Record<string, string>;
    retryAfterMs?: number;
  }) {
    super(options.message);
    this.name = 'UpstreamFailure';
    this.providerWire = options.providerWire;
    this.kind = options.kind;
    this.status = options.status;
    this.body = options.body;
    this.headers = options.headers;
    this.retryAfterMs = options.retryAfterMs;
  }
}
