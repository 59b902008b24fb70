import { Hono } from 'hono';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderPool } from '../providers/provider-pool.ts';
import type { ReachabilityProbe } from '../providers/create-reachability-probe.ts';
import { probedURL } from '../providers/probed-url.ts';
import type { TemplateRegistry } from '../templates/template-registry.ts';
import type { Template } from '../templates/template.ts';
import type { GatewayEnv } from '../app-env.ts';

export interface CatalogRoutesOptions {
  config: GatewayConfig;
  providers: ProviderPool;
  templates: TemplateRegistry;
  /** Checks that a keyless, self-hosted upstream listens; none: such providers are listed as available. */
  probeReachability?: ReachabilityProbe;
}

/** `GET /v1/providers`, `GET /v1/templates`, `GET /v1/templates/:id`. */
export function createCatalogRoutes(options: CatalogRoutesOptions): Hono<GatewayEnv> {
  const { config, providers, templates } = options;
  const app = new Hono<GatewayEnv>();
  const defaultId = config.defaultProvider ?? config.providers[0]?.id;
  app.get('/v1/providers', async (c) => {
    const entries = providers.list();
    const unreachable = await Promise.all(
      entries.map((entry) => {
        const url = probedURL(entry);
        return options.probeReachability && url ? options.probeReachability(url) : undefined;
      }),
    );
    return c.json({
      providers: entries.map((entry, index) => {
        const capabilities = entry.capabilities;
        const reason = entry.reason ?? unreachable[index];
        return {
          id: entry.config.id,
          kind: entry.config.kind,
          model: entry.config.model,
          available: entry.model !== undefined && unreachable[index] === undefined,
          ...(reason ? { reason } : {}),
          capabilities: {
            logprobs: capabilities.logprobs,
            samples: capabilities.samples,
            images: capabilities.images,
            guidedChoice: capabilities.guidedChoice,
          },
          isDefault: entry.config.id === defaultId,
          fallbacks: config.fallbacks[entry.config.id] ?? [],
        };
      }),
    });
  });
  app.get('/v1/templates', (c) => c.json({ templates: templates.list().map(toInfo) }));
  app.get('/v1/templates/:id', (c) => {
    const reference = c.req.param('id');
    const template = templates.resolve(reference);
    if (!template) throw new GatewayError('not_found', `no template "${reference}"`, { template: reference });
    return c.json({ ...toInfo(template), ...(template.system ? { system: template.system } : {}), body: template.body });
  });
  return app;
}

function toInfo(template: Template) {
  return {
    id: template.id,
    version: template.version,
    sha256: template.sha256,
    description: template.description,
    inputs: template.inputs,
    output: template.output,
    packed: template.packed,
  };
}
