import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchFunction } from '@teacher-gateway/gateway/internal/providers/openai/create-recording-fetch';

/** A keep-alive undici fetch (as the adapters use by default) that counts the calls it sends. */
export function countUpstreamCalls(): { fetch: FetchFunction; count(): number } {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls += 1;
      return undiciFetch(
        input as never,
        { ...(init as object), dispatcher } as never,
      ) as unknown as Promise<Response>;
    },
    count: () => calls,
  };
}
