import { fileURLToPath } from 'node:url';
import type { GatewayConfig } from '@teacher-gateway/gateway/internal/config/config-schema';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { createGateway } from '@teacher-gateway/gateway/internal/create-gateway';
import type { Gateway } from '@teacher-gateway/gateway/internal/create-gateway';
import type { VisionLanguageModel } from '@teacher-gateway/gateway/internal/providers/provider';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { SqliteDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { Storage } from '@teacher-gateway/gateway/internal/stores/storage';
import { loadTemplates } from '@teacher-gateway/gateway/internal/templates/load-templates';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

export const promptsDir = fileURLToPath(new URL('../../prompts/', import.meta.url));

export interface TestGateway extends Gateway {
  database: SqliteDatabase;
  config: GatewayConfig;
  /** `app.request` with a JSON body. */
  post(path: string, body: unknown): Promise<Response>;
  get(path: string): Promise<Response>;
}

/**
 * A gateway on an in-memory database with the given fake providers (by id), configured from YAML
 * text so tests exercise the real config path. Retries sleep for no time.
 */
export function createTestGateway(options: {
  yaml?: string;
  providers: Record<string, VisionLanguageModel>;
  environment?: Record<string, string>;
  database?: SqliteDatabase;
  /** The stores on another backend (PostgreSQL); the in-memory database is then unused. */
  storage?: Storage;
}): TestGateway {
  const yaml =
    options.yaml ??
    `storage: { path: ":memory:" }
defaultProvider: fake
providers:
${Object.keys(options.providers)
  .map((id) => `  - { id: ${id}, kind: openai, model: ${options.providers[id]?.model ?? 'fake-model'}, apiKey: test-key, maxRetries: 2 }`)
  .join('\n')}
`;
  const { config, missingVariables } = loadConfig(yaml, options.environment ?? {});
  const database = options.database ?? openDatabase(':memory:');
  // A virtual clock: waits (backoff, retry-after pauses) advance it instead of taking real time.
  let virtualMs = 0;
  const gateway = createGateway({
    monotonic: () => virtualMs,
    setTimer: (callback, ms) => {
      virtualMs += ms;
      setImmediate(callback);
    },
    config,
    missingVariables,
    templates: loadTemplates(promptsDir),
    database,
    ...(options.storage ? { storage: options.storage } : {}),
    createProvider: (providerConfig) => {
      const provider = options.providers[providerConfig.id];
      if (!provider) throw new Error(`no fake for ${providerConfig.id}`);
      return provider;
    },
    sleep: async (ms) => {
      virtualMs += ms;
    },
    random: () => 0.5,
    logError: (error) => {
      throw error;
    },
  });
  return {
    ...gateway,
    database,
    config,
    post: (path, body) =>
      Promise.resolve(
        gateway.app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    get: (path) => Promise.resolve(gateway.app.request(path)),
  };
}

/** A 1x1 PNG, as a data URL. */
export const tinyPng =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export const minigridActions = {
  kind: 'discrete' as const,
  labels: [...ACTION_LABELS],
};

export function suggestionRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    template: 'minigrid-lvlm2p',
    observation: { image: tinyPng, text: 'use the key to open the door and then get to the goal' },
    actions: minigridActions,
    ...overrides,
  };
}
