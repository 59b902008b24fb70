import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';

export interface MetricsSources {
  /** Queue depth and calls in flight, by provider. */
  schedulers: () => { provider: string; queued: number; inFlight: number }[];
  /** Upstream calls currently shared by coalesced requests. */
  coalescedInFlight: () => number;
  cache: () => Promise<{ entries: number; bytes: number }>;
}

export interface RequestObservation {
  route: string;
  method: string;
  status: number;
  seconds: number;
}

export interface SuggestionObservation {
  provider: string | undefined;
  /** hit, miss, coalesced, replayed, or `error`. */
  outcome: string;
  calls: UpstreamCallRecord[];
}

export interface Metrics {
  registry: Registry;
  observeRequest(observation: RequestObservation): void;
  observeSuggestion(observation: SuggestionObservation): void;
}

const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The gateway's Prometheus metrics, on a registry of its own so several gateways (tests, the
 * trainer's in-process one) never share counters.
 */
export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  // prom-client's default names start with process_ or nodejs_ already: teacher_gateway_process_cpu_seconds_total.
  collectDefaultMetrics({ register: registry, prefix: 'teacher_gateway_' });
  const requests = new Counter({
    name: 'teacher_gateway_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'teacher_gateway_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route',
    labelNames: ['route'],
    buckets: latencyBuckets,
    registers: [registry],
  });
  const suggestions = new Counter({
    name: 'teacher_gateway_suggestions_total',
    help: 'Suggestions by provider and cache outcome (hit, miss, coalesced, replayed, error)',
    labelNames: ['provider', 'outcome'],
    registers: [registry],
  });
  const upstreamCalls = new Counter({
    name: 'teacher_gateway_upstream_calls_total',
    help: 'Upstream calls by provider and result (ok or the error kind)',
    labelNames: ['provider', 'result'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'teacher_gateway_upstream_retries_total',
    help: 'Upstream attempts after the first, by provider',
    labelNames: ['provider'],
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'teacher_gateway_upstream_duration_seconds',
    help: 'Duration of upstream calls, by provider',
    labelNames: ['provider'],
    buckets: latencyBuckets,
    registers: [registry],
  });
  new Gauge({
    name: 'teacher_gateway_upstream_queue_depth',
    help: 'Upstream calls waiting for a slot, by provider',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      this.reset();
      for (const scheduler of sources.schedulers()) this.set({ provider: scheduler.provider }, scheduler.queued);
    },
  });
  new Gauge({
    name: 'teacher_gateway_upstream_in_flight',
    help: 'Upstream calls in flight, by provider',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      this.reset();
      for (const scheduler of sources.schedulers()) this.set({ provider: scheduler.provider }, scheduler.inFlight);
    },
  });
  new Gauge({
    name: 'teacher_gateway_coalesced_in_flight',
    help: 'Upstream calls currently shared by several identical requests',
    registers: [registry],
    collect() {
      this.set(sources.coalescedInFlight());
    },
  });
  new Gauge({
    name: 'teacher_gateway_cache_entries',
    help: 'Answers stored in the cache',
    registers: [registry],
    async collect() {
      this.set((await sources.cache()).entries);
    },
  });
  new Gauge({
    name: 'teacher_gateway_cache_bytes',
    help: 'Approximate bytes of stored answers',
    registers: [registry],
    async collect() {
      this.set((await sources.cache()).bytes);
    },
  });
  return {
    registry,
    observeRequest(observation) {
      requests.inc({ route: observation.route, method: observation.method, status: String(observation.status) });
      requestSeconds.observe({ route: observation.route }, observation.seconds);
    },
    observeSuggestion(observation) {
      const provider = observation.provider ?? 'none';
      suggestions.inc({ provider, outcome: observation.outcome });
      for (const call of observation.calls) {
        upstreamCalls.inc({ provider: call.provider, result: call.errorKind ?? 'ok' });
        upstreamSeconds.observe({ provider: call.provider }, call.durationMs / 1000);
        if (call.attempt > 1) retries.inc({ provider: call.provider });
      }
    },
  };
}
