import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import type { Gateway, GatewayOptions } from '@teacher-gateway/gateway/internal/create-gateway';
import { createGateway } from '@teacher-gateway/gateway/internal/create-gateway';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { loadTemplates } from '@teacher-gateway/gateway/internal/templates/load-templates';
import { promptsDir } from './create-test-gateway.ts';

/**
 * A gateway built from `yaml` with no environment variables set: the real provider adapters, the
 * shipped prompts, an in-memory database, and any logged error thrown. `overrides` adds or
 * replaces options (e.g. `sleep`, `probeReachability`).
 */
export function createRealProviderGateway(yaml: string, overrides: Partial<GatewayOptions> = {}): Gateway {
  const { config, missingVariables } = loadConfig(yaml, {});
  return createGateway({
    config,
    missingVariables,
    templates: loadTemplates(promptsDir),
    database: openDatabase(':memory:'),
    createProvider: (providerConfig) => createProvider({ config: providerConfig }),
    logError: (error) => {
      throw error;
    },
    ...overrides,
  });
}
