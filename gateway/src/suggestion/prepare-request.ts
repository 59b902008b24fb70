/**
 * @module
 * Step 2, prepare: a request resolved against one provider: its template, method plan, cache key
 * and sample slot. Pure but for the registry lookups, so `cache explain` and `label` reuse it.
 */
import type { SuggestionRequest } from '@teacher-gateway/client';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { PoolEntry, ProviderPool } from '../providers/provider-pool.ts';
import type { StoredImage } from '../stores/image-store.ts';
import type { RenderedPrompt } from '../templates/render-template.ts';
import { renderTemplate } from '../templates/render-template.ts';
import type { TemplateRegistry } from '../templates/template-registry.ts';
import type { Template } from '../templates/template.ts';
import { chooseMethod } from './choose-method.ts';
import type { MethodPlan } from './choose-method.ts';
import type { CacheKey } from './compute-cache-key.ts';
import { computeCacheKey } from './compute-cache-key.ts';
import type { ImageRef } from './resolve-image.ts';

export interface Prepared {
  request: SuggestionRequest;
  template: Template;
  provider: PoolEntry;
  plan: MethodPlan;
  cacheKey: CacheKey;
  sample: number;
  image: ImageRef | undefined;
  /**
   * The prompt with its image shown by hash: text for the audit log, letters for the parsers.
   * Rendered on first read, so a hit never pays for it.
   */
  readonly prompt: RenderedPrompt;
}

export type PrepareResult = { ok: true; prepared: Prepared } | { ok: false; error: GatewayError };

export interface PrepareDependencies {
  config: GatewayConfig;
  templates: TemplateRegistry;
  providers: ProviderPool;
}

/** The providers to try in order: the one asked for (or the default), then its fallbacks. */
export function chooseProviders(
  request: SuggestionRequest,
  { config, providers }: PrepareDependencies,
): { ok: true; providers: PoolEntry[] } | { ok: false; error: GatewayError } {
  const id = request.provider ?? config.defaultProvider ?? config.providers[0]?.id;
  if (id === undefined)
    return {
      ok: false,
      error: new GatewayError('provider_unavailable', 'no provider is configured'),
    };
  if (!providers.get(id)) {
    const configured = providers.list().map((entry) => entry.config.id);
    const error = new GatewayError('not_found', `no provider "${id}" is configured`, {
      provider: id,
      configured,
    });
    return { ok: false, error };
  }
  const entries = [id, ...(config.fallbacks[id] ?? [])].flatMap(
    (each) => providers.get(each) ?? [],
  );
  return { ok: true, providers: entries };
}

export function prepareRequest(
  request: SuggestionRequest,
  provider: PoolEntry,
  image: ImageRef | undefined,
  { config, templates }: PrepareDependencies,
): PrepareResult {
  const fail = (
    code: 'not_found' | 'invalid_request',
    message: string,
    details?: Record<string, unknown>,
  ) => ({
    ok: false as const,
    error: new GatewayError(code, message, details),
  });
  const template = templates.resolve(request.template);
  if (!template) {
    const available = templates.list().map((entry) => `${entry.id}@${entry.version}`);
    return fail('not_found', `no template "${request.template}"`, {
      template: request.template,
      available,
    });
  }
  if (template.inputs.includes('image') && !image)
    return fail('invalid_request', `template ${template.id} needs observation.image`);
  if (template.output === 'json-vector' && request.actions.kind !== 'continuous') {
    return fail('invalid_request', `template ${template.id} needs continuous actions`);
  }
  if (template.output !== 'json-vector' && request.actions.kind !== 'discrete') {
    return fail('invalid_request', `template ${template.id} needs discrete actions`);
  }
  if (template.output === 'choice' && request.actions.labels.length > 26) {
    return fail('invalid_request', 'choice templates answer with a letter: at most 26 actions');
  }
  const choice = chooseMethod(template, request.distribution, provider.capabilities);
  if (!choice.ok) return fail('invalid_request', choice.reason);
  const { plan } = choice;
  const uses = (input: string) => template.inputs.includes(input as never);
  const cacheKey = computeCacheKey({
    provider: { kind: provider.config.kind, model: provider.config.model },
    template: { id: template.id, sha256: template.sha256 },
    variables: {
      ...(uses('text') ? { text: request.observation.text ?? '' } : {}),
      ...(uses('state') ? { state: request.observation.state ?? {} } : {}),
      ...(uses('image') && image ? { image: image.sha256 } : {}),
    },
    actions: request.actions,
    method: { name: plan.name, parameters: plan.parameters },
    decoding: plan.decoding,
  });
  const sample =
    plan.name === 'samples' && request.seed !== undefined
      ? request.seed % config.cache.samplesPerKey
      : 0;
  let rendered: RenderedPrompt | undefined;
  const prepared: Prepared = {
    request,
    template,
    provider,
    plan,
    cacheKey,
    sample,
    image,
    get prompt() {
      return (rendered ??= renderPrompt(
        prepared,
        image ? { sha256: image.sha256, mediaType: '', data: noBytes } : undefined,
      ));
    },
  };
  return { ok: true, prepared };
}

const noBytes = new Uint8Array(0);

/** The prompt as sent: its image parts given the leased bytes (shared, never copied). */
export function attachImage(
  prompt: RenderedPrompt,
  image: StoredImage | undefined,
): RenderedPrompt {
  if (!image) return prompt;
  const messages = prompt.messages.map((message) => ({
    ...message,
    parts: message.parts.map((part) =>
      part.type === 'image' ? { type: 'image' as const, ...image } : part,
    ),
  }));
  return { ...prompt, messages };
}

/**
 * A prompt rendered when its call is dispatched, with the leased image's bytes (shared,
 * never copied; the adapter encodes them for the wire).
 */
export function renderPrompt(
  prepared: Prepared,
  image: StoredImage | undefined,
  packed = false,
): RenderedPrompt {
  return renderTemplate({
    template: prepared.template,
    observation: prepared.request.observation,
    actions: prepared.request.actions,
    ...(image ? { image } : {}),
    ...(packed ? { packed } : {}),
  });
}
