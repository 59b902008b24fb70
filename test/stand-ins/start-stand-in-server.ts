import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in received it. */
export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when it was not JSON. */
  body: unknown;
}

/** One token of a scripted answer, provider-neutral; each stand-in renders its own wire shape. */
export interface ScriptedToken {
  token: string;
  logprob: number;
  top?: Array<{ token: string; logprob: number }>;
}

/** What a script returns for one choice/candidate. */
export interface ScriptedAnswer {
  text: string;
  logprobs?: ScriptedToken[];
  /** The provider's own finish reason string; default stop. */
  finishReason?: string;
}

/** Answers one choice of a request: `(parsedRequestBody, choiceIndex) => answer`. */
export type AnswerFunction = (body: unknown, choiceIndex: number) => ScriptedAnswer;

export interface StandInReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless already a string. */
  body: unknown;
}

export interface StandInContext<Scenario extends string> {
  call: RecordedCall;
  /** The queued failure scenario for this request, if any. */
  scenario: Scenario | undefined;
  /** The scripted answer function, if a test set one. */
  answer: AnswerFunction | undefined;
  /** More requests in flight than `maxConcurrency` allows: answer as the provider does when overloaded. */
  overloaded: boolean;
}

export interface StandInServerOptions<Scenario extends string> {
  handle: (context: StandInContext<Scenario>) => StandInReply;
  /** Path appended to the origin for `url` (what the adapter config's baseURL is). */
  basePath?: string;
  latencyMs?: number;
  maxConcurrency?: number;
  port?: number;
}

export interface StandInServer<Scenario extends string> {
  /** Base URL for the adapter config. */
  url: string;
  calls: RecordedCall[];
  respondWith(fn: AnswerFunction | undefined): void;
  /** Queue the next `count` answers (default 1) as this error scenario. */
  fail(scenario: Scenario, count?: number): void;
  setLatency(ms: number): void;
  /** Most requests in flight at once so far (for concurrency benchmarks). */
  peakConcurrency(): number;
  close(): Promise<void>;
}

/**
 * The plumbing every provider stand-in shares: a plain node:http server that records requests,
 * delays answers, counts concurrency and pops queued failure scenarios. What to answer is the
 * provider file's business.
 */
export async function startStandInServer<Scenario extends string>(
  options: StandInServerOptions<Scenario>,
): Promise<StandInServer<Scenario>> {
  const calls: RecordedCall[] = [];
  const failures: Scenario[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let answer: AnswerFunction | undefined;
  let latencyMs = options.latencyMs ?? 0;
  let inFlight = 0;
  let peak = 0;

  const server = createServer((request, response) => {
    void serve(request, response);
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    const overloaded = options.maxConcurrency !== undefined && inFlight > options.maxConcurrency;
    try {
      const text = await readText(request);
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const call: RecordedCall = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        ),
        body: parseJson(text),
      };
      calls.push(call);
      const scenario = overloaded ? undefined : failures.shift();
      let reply: StandInReply;
      try {
        reply = options.handle({ call, scenario, answer, overloaded });
      } catch (error) {
        reply = {
          status: 500,
          body: { error: { message: `stand-in bug: ${(error as Error).message}` } },
        };
      }
      // Real servers reject overload at once; everything else takes the configured time.
      if (!overloaded && latencyMs > 0) await delay(latencyMs);
      if (response.destroyed) return;
      const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      response.writeHead(reply.status, {
        'content-type':
          typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
        ...reply.headers,
      });
      response.end(payload);
    } finally {
      inFlight -= 1;
    }
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.basePath ?? ''}`,
    calls,
    respondWith(fn) {
      answer = fn;
    },
    fail(scenario, count = 1) {
      for (let index = 0; index < count; index += 1) failures.push(scenario);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    peakConcurrency: () => peak,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
