import { connect } from 'node:net';

/** Resolves `undefined` when something accepts connections at the URL, else why not. */
export type ReachabilityProbe = (baseURL: string) => Promise<string | undefined>;

export interface ReachabilityProbeOptions {
  /** Opens a TCP connection; resolves once connected, rejects with the socket error. */
  connectTo?: (host: string, port: number, timeoutMs: number) => Promise<void>;
  now?: () => number;
  timeoutMs?: number;
  /** How long an answer is reused, so listing providers does not dial out on every call. */
  ttlMs?: number;
}

/**
 * A cheap reachability check for self-hosted upstreams (a local vLLM, the simulated teacher): a
 * TCP connect to the base URL's host and port, nothing sent, answers cached for a few seconds.
 * A provider with a key is not probed this way: its hosted API is assumed up until a call fails.
 *
 * @example
 * const probe = createReachabilityProbe()
 * await probe('http://127.0.0.1:8000/v1') // 'nothing listens at http://127.0.0.1:8000/v1 (ECONNREFUSED)'
 */
export function createReachabilityProbe(options: ReachabilityProbeOptions = {}): ReachabilityProbe {
  const connectTo = options.connectTo ?? connectOnce;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 500;
  const ttlMs = options.ttlMs ?? 5_000;
  const answers = new Map<string, { at: number; answer: Promise<string | undefined> }>();
  return (baseURL) => {
    const cached = answers.get(baseURL);
    if (cached && now() - cached.at < ttlMs) return cached.answer;
    const answer = probe(baseURL);
    answers.set(baseURL, { at: now(), answer });
    return answer;
  };

  async function probe(baseURL: string): Promise<string | undefined> {
    let url: URL;
    try {
      url = new URL(baseURL);
    } catch {
      return `not a URL: ${baseURL}`;
    }
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    try {
      await connectTo(url.hostname.replace(/^\[|\]$/g, ''), port, timeoutMs);
      return undefined;
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).message;
      return `unreachable: nothing answers at ${baseURL} (${code})`;
    }
  }
}

function connectOnce(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
