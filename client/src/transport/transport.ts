/**
 * @module
 * The one HTTP seam of the client. The default is undici's `request` on a keep-alive Agent;
 * a caller's `fetch` is adapted to the same shape.
 */

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  /** A response header by lower-case name. */
  header(name: string): string | undefined;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
  /** The body as it arrives, for streamed endpoints. */
  chunks(): AsyncIterable<Uint8Array>;
}

export interface Transport {
  /** Rejects with a `GatewayApiError` (`network_error` or `timeout`) when no response arrives. */
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}
