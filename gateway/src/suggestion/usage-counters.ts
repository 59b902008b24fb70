export interface Counter {
  requests: number;
  hits: number;
  misses: number;
  coalesced: number;
  replayed: number;
  errors: number;
  upstreamCalls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface CountedRequest {
  provider: string | undefined;
  /** The cache outcome, or undefined for a failed request. */
  cache: 'hit' | 'miss' | 'coalesced' | 'replayed' | undefined;
  upstreamCalls: number;
  /** Tokens spent upstream by this request (zero when served from the cache). */
  inputTokens: number;
  outputTokens: number;
}

export interface UsageCounters {
  count(request: CountedRequest): void;
  snapshot(): { total: Counter; byProvider: Record<string, Counter> };
}

const outcomeField = { hit: 'hits', miss: 'misses', coalesced: 'coalesced', replayed: 'replayed' } as const;

/** Request counters since start, in total and per provider, for `GET /v1/cache/stats`. */
export function createUsageCounters(): UsageCounters {
  const total = emptyCounter();
  const byProvider = new Map<string, Counter>();
  const add = (counter: Counter, request: CountedRequest) => {
    counter.requests += 1;
    if (request.cache) counter[outcomeField[request.cache]] += 1;
    else counter.errors += 1;
    counter.upstreamCalls += request.upstreamCalls;
    counter.inputTokens += request.inputTokens;
    counter.outputTokens += request.outputTokens;
  };
  return {
    count(request) {
      add(total, request);
      if (request.provider === undefined) return;
      let counter = byProvider.get(request.provider);
      if (!counter) byProvider.set(request.provider, (counter = emptyCounter()));
      add(counter, request);
    },
    snapshot: () => ({
      total: { ...total },
      byProvider: Object.fromEntries([...byProvider].map(([id, counter]) => [id, { ...counter }])),
    }),
  };
}

function emptyCounter(): Counter {
  return { requests: 0, hits: 0, misses: 0, coalesced: 0, replayed: 0, errors: 0, upstreamCalls: 0, inputTokens: 0, outputTokens: 0 };
}
