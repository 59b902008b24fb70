/**
 * @module
 * A closed-loop HTTP load generator on undici keep-alive connections. Runs as a child process of a
 * benchmark so the client's CPU stays off the server's event loop: argv[2] is the JSON options,
 * the result is one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { z } from 'zod';

const TargetSchema = z.object({
  name: z.string(),
  origin: z.string(),
  path: z.string(),
  /** Request bodies, used in turn; `{{n}}` in one is replaced by a counter unique to the run. */
  bodies: z.array(z.string()).min(1),
});

export const LoadOptionsSchema = z.object({
  /** Requests alternate between the targets, so each sees the same machine conditions. */
  targets: z.array(TargetSchema).min(1),
  connections: z.number().int().positive(),
  durationMs: z.number().positive(),
  warmupMs: z.number().min(0),
  /** Stop after this many requests in all (each body used once when it equals the body count). */
  requests: z.number().int().positive().optional(),
});

export type LoadOptions = z.infer<typeof LoadOptionsSchema>;

export interface TargetResult {
  name: string;
  requests: number;
  errors: number;
  /** Statuses other than 200, by status, with one body each to say why. */
  failures: Record<string, string>;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

export async function generateLoad(options: LoadOptions): Promise<TargetResult[]> {
  const pools = new Map<string, Pool>();
  for (const target of options.targets) {
    if (!pools.has(target.origin)) {
      pools.set(target.origin, new Pool(target.origin, { connections: options.connections, pipelining: 1 }));
    }
  }
  const stats = options.targets.map(() => ({ latencies: [] as number[], errors: 0, failures: {} as Record<string, string> }));
  let counter = 0;
  let measuring = false;
  let stopped = false;
  let measuredStart = 0;
  let sequence = 0;
  const used = options.targets.map(() => 0);
  const worker = async () => {
    while (!stopped) {
      if (options.requests !== undefined && sequence >= options.requests) return;
      const turn = sequence++;
      const targetIndex = turn % options.targets.length;
      const target = options.targets[targetIndex]!;
      const template = target.bodies[used[targetIndex]!++ % target.bodies.length]!;
      const body = template.includes('{{n}}') ? template.replaceAll('{{n}}', String((counter += 1))) : template;
      const started = performance.now();
      try {
        const response = await pools.get(target.origin)!.request({
          path: target.path,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const text = await response.body.text();
        const elapsed = performance.now() - started;
        if (!measuring) continue;
        const record = stats[targetIndex]!;
        if (response.statusCode === 200) record.latencies.push(elapsed);
        else {
          record.errors += 1;
          record.failures[String(response.statusCode)] ??= text.slice(0, 300);
        }
      } catch (error) {
        if (measuring) {
          stats[targetIndex]!.errors += 1;
          stats[targetIndex]!.failures.exception ??= String(error);
        }
      }
    }
  };
  const workers = Array.from({ length: options.connections }, () => worker());
  await sleep(options.warmupMs);
  measuring = true;
  measuredStart = performance.now();
  await Promise.race([sleep(options.durationMs), Promise.all(workers)]);
  measuring = false;
  const seconds = (performance.now() - measuredStart) / 1000;
  stopped = true;
  await Promise.all(workers);
  await Promise.all([...pools.values()].map((pool) => pool.close()));
  return options.targets.map((target, index) => {
    const { latencies, errors, failures } = stats[index]!;
    const sorted = Float64Array.from(latencies).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    return {
      name: target.name,
      requests: latencies.length,
      errors,
      failures,
      perSecond: latencies.length / seconds,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      meanMs: latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length),
    };
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (process.argv[1]?.endsWith('load-generator.ts')) {
  const options = LoadOptionsSchema.parse(JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')));
  generateLoad(options).then(
    (results) => process.stdout.write(JSON.stringify(results) + '\n'),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
