import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** What the process wrote to stderr (the last 100 kB of it). */
  stderr(): string;
}

export interface GatewayProcessOptions {
  timeoutMs?: number;
  /** Node options before the script, e.g. `--max-old-space-size=256`. */
  nodeArgs?: string[];
}

/**
 * Runs `teacher-gateway serve` as its own process (through tsx, as `npm start` does) and resolves
 * with the URL from its "listening" log line once it accepts connections.
 */
export function startGatewayProcess(args: string[], options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const { timeoutMs = 30_000, nodeArgs = [] } = options;
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'gateway/src/cli.ts', 'serve', ...args], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    void exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${String(status)}) before listening: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const record = JSON.parse(line) as { url?: unknown; msg?: unknown };
        if (record.msg === 'listening' && typeof record.url === 'string') {
          clearTimeout(timer);
          resolve({ url: record.url, child, exited, stderr: () => stderr });
        }
      } catch {
        // Not a log line of ours; ignore it.
      }
    });
  });
}
