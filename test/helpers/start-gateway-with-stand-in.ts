import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '@teacher-gateway/gateway/internal/server';
import { startOpenAIStandIn } from '../stand-ins/openai-stand-in.ts';
import type { OpenAIStandIn } from '../stand-ins/openai-stand-in.ts';

const promptsDir = fileURLToPath(new URL('../../prompts/', import.meta.url));

export interface EndToEndOptions {
  mode?: 'live' | 'record' | 'replay' | 'off';
  /** A file database shared between gateways (record then replay); default `:memory:`. */
  db?: string;
  tokens?: string[];
  bodyLimitBytes?: number;
  /** Upstream deadline of the provider, per attempt. */
  providerTimeoutMs?: number;
  /** Reuse a running stand-in instead of starting one. */
  standIn?: OpenAIStandIn;
}

export interface EndToEndGateway {
  url: string;
  standIn: OpenAIStandIn;
  close(): Promise<void>;
}

/**
 * A real listening gateway (startServer, the CLI's own path, port 0) whose one provider is the
 * OpenAI stand-in on loopback. Upstream retries are off so each failure surfaces as it happened.
 */
export async function startGatewayWithStandIn(
  options: EndToEndOptions = {},
): Promise<EndToEndGateway> {
  const standIn = options.standIn ?? (await startOpenAIStandIn({ apiKey: 'sk-standin' }));
  const dir = mkdtempSync(join(tmpdir(), 'teacher-gateway-e2e-'));
  const configPath = join(dir, 'gateway.config.yaml');
  const yaml = [
    `server: { host: 127.0.0.1, port: 0, bodyLimitBytes: ${options.bodyLimitBytes ?? 8 * 1024 * 1024} }`,
    `storage: { path: ${JSON.stringify(options.db ?? ':memory:')} }`,
    `cache: { mode: ${options.mode ?? 'live'} }`,
    `templates: { dir: ${JSON.stringify(promptsDir)} }`,
    ...(options.tokens ? [`auth: { tokens: ${JSON.stringify(options.tokens)} }`] : []),
    'defaultProvider: openai-standin',
    'providers:',
    `  - { id: openai-standin, kind: openai, model: gpt-4o-mini, apiKey: sk-standin, baseURL: ${JSON.stringify(standIn.url)}, maxRetries: 0, timeoutMs: ${options.providerTimeoutMs ?? 10_000} }`,
  ].join('\n');
  writeFileSync(configPath, yaml);
  const server = await startServer({ configPath, environment: {} });
  return {
    url: server.url,
    standIn,
    async close() {
      await server.close();
      if (!options.standIn) await standIn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
