import type { GatewayConfig, ProviderConfig } from '@teacher-gateway/gateway/internal/config/config-schema';
import { createGateway } from '@teacher-gateway/gateway/internal/create-gateway';
import type { VisionLanguageModel } from '@teacher-gateway/gateway/internal/providers/provider';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { loadTemplates } from '@teacher-gateway/gateway/internal/templates/load-templates';
import { minigridActions, promptsDir, tinyPng } from './create-test-gateway.ts';

/**
 * A gateway whose clock is virtual: every back-off sleep and timer is recorded and advances the
 * clock instead of waiting, so tests of provider-requested waits run in milliseconds. Providers
 * are the real adapters unless `createProviderFor` answers one.
 */
export function startVirtualClockGateway(options: {
  config: GatewayConfig;
  missingVariables?: Map<string, string>;
  createProviderFor?: (config: ProviderConfig) => VisionLanguageModel | undefined;
}) {
  const waits: number[] = [];
  const timers: number[] = [];
  let virtualMs = 0;
  const gateway = createGateway({
    config: options.config,
    ...(options.missingVariables ? { missingVariables: options.missingVariables } : {}),
    templates: loadTemplates(promptsDir),
    database: openDatabase(':memory:'),
    createProvider: (providerConfig) =>
      options.createProviderFor?.(providerConfig) ?? createProvider({ config: providerConfig }),
    monotonic: () => virtualMs,
    setTimer: (callback, ms) => {
      timers.push(ms);
      virtualMs += ms;
      setImmediate(callback);
    },
    sleep: async (ms) => {
      waits.push(ms);
      virtualMs += ms;
    },
    random: () => 0.5,
    logError: (error) => {
      throw error;
    },
  });
  /** One suggestion for a MiniGrid frame from `provider`. */
  const ask = async (provider: string, text: string) => {
    const response = await gateway.app.request('/v1/suggestions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'minigrid-lvlm2p', provider, observation: { image: tinyPng, text }, actions: minigridActions }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };
  return { gateway, ask, waits, timers, elapsed: () => virtualMs };
}
