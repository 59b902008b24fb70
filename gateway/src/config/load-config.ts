import { parse as parseYaml } from 'yaml';
import type { GatewayConfig } from './config-schema.ts';
import { GatewayConfigSchema } from './config-schema.ts';
import { expandVariables } from './expand-variables.ts';

export interface ConfigOverrides {
  host?: string;
  port?: number;
  db?: string;
  mode?: GatewayConfig['cache']['mode'];
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** Unset `${VAR}` references by config path, e.g. `providers.0.apiKey` → `OPENAI_API_KEY`. */
  missingVariables: Map<string, string>;
}

/** A configuration file that cannot be used; the message names the field and the reason. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses and validates the YAML configuration, expanding `${VAR}` from the environment and
 * applying command-line overrides last.
 *
 * @example
 * const { config } = loadConfig(readFileSync('gateway.config.yaml', 'utf8'), process.env, { port: 9000 })
 */
export function loadConfig(
  yamlText: string,
  environment: Record<string, string | undefined>,
  overrides: ConfigOverrides = {},
  source = 'gateway.config.yaml',
): LoadedConfig {
  let document: unknown;
  try {
    document = parseYaml(yamlText) ?? {};
  } catch (error) {
    throw new ConfigError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  const { value, missing } = expandVariables(document, environment);
  const withOverrides = applyOverrides(value, overrides);
  const parsed = GatewayConfigSchema.safeParse(withOverrides);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `  ${field}: ${issue.message}`;
    });
    throw new ConfigError(`${source} is invalid:\n${lines.join('\n')}`);
  }
  return { config: parsed.data, missingVariables: missing };
}

function applyOverrides(document: unknown, overrides: ConfigOverrides): unknown {
  const root = (typeof document === 'object' && document !== null ? document : {}) as Record<
    string,
    unknown
  >;
  const section = (name: string): Record<string, unknown> => {
    const existing = root[name];
    return typeof existing === 'object' && existing !== null
      ? { ...(existing as Record<string, unknown>) }
      : {};
  };
  const result = { ...root };
  if (overrides.host !== undefined || overrides.port !== undefined) {
    result.server = {
      ...section('server'),
      ...(overrides.host !== undefined ? { host: overrides.host } : {}),
      ...(overrides.port !== undefined ? { port: overrides.port } : {}),
    };
  }
  if (overrides.db !== undefined) result.storage = { ...section('storage'), path: overrides.db };
  if (overrides.mode !== undefined) result.cache = { ...section('cache'), mode: overrides.mode };
  return result;
}
