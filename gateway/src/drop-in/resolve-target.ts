import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { PoolEntry, ProviderPool } from '../providers/provider-pool.ts';

/** A configured provider and the model name to ask it for. */
export interface Target {
  provider: PoolEntry;
  model: string;
}

/**
 * What a drop-in request's `model` names, in this order: an entry of `aliases:`, a provider id
 * (its configured model), `providerId/modelName`, or a provider whose configured model has that
 * name (so `model: "gpt-4o-mini"` finds the provider serving it). Fallbacks of the first follow it.
 *
 * @example
 * resolveTargets('teacher', config, providers) // [{ provider: <gemini-flash>, model: 'gemini-2.0-flash' }]
 */
export function resolveTargets(model: string, config: GatewayConfig, providers: ProviderPool): Target[] {
  const named = config.aliases[model] ?? model;
  const first = resolveOne(named, providers);
  if (!first) {
    const known = [...providers.list().map((entry) => entry.config.id), ...Object.keys(config.aliases)];
    throw new GatewayError('not_found', `model "${model}" names no configured provider or alias (known: ${known.join(', ') || 'none'})`, {
      model,
      known,
    });
  }
  const fallbacks = (config.fallbacks[first.provider.config.id] ?? [])
    .map((id) => providers.get(id))
    .filter((entry): entry is PoolEntry => entry !== undefined)
    .map((provider) => ({ provider, model: provider.config.model }));
  return [first, ...fallbacks];
}

function resolveOne(name: string, providers: ProviderPool): Target | undefined {
  const byId = providers.get(name);
  if (byId) return { provider: byId, model: byId.config.model };
  const slash = name.indexOf('/');
  if (slash > 0) {
    const provider = providers.get(name.slice(0, slash));
    if (provider) return { provider, model: name.slice(slash + 1) };
  }
  const byModel = providers.list().find((entry) => entry.config.model === name);
  return byModel ? { provider: byModel, model: name } : undefined;
}
