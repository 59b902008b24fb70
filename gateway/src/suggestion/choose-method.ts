import type { DistributionOptions } from '@teacher-gateway/client';
import type { ProviderCapabilities } from '../providers/provider.ts';
import type { Template } from '../templates/template.ts';

export type MethodName = 'logprobs' | 'samples' | 'verbalized' | 'vector';

/** How one request will be asked upstream, and what of it enters the cache key. */
export interface MethodPlan {
  name: MethodName;
  /** Parameters of the method that change the distribution returned (part of the cache key). */
  parameters: Record<string, unknown>;
  /** Decoding parameters sent upstream (part of the cache key). */
  decoding: {
    temperature: number;
    samples: number;
    topLogprobs: number;
    maxOutputTokens: number;
    json: boolean;
    guidedChoice: boolean;
  };
  /** Set when the asked-for method could not be used and another was chosen. */
  warning?: string;
}

export type MethodChoice = { ok: true; plan: MethodPlan } | { ok: false; reason: string };

/**
 * Picks how to obtain a distribution, from the template's output format, the method asked for
 * and what the provider can do now. `auto` prefers token log-probabilities (one short call,
 * calibrated), then sampled votes.
 */
export function chooseMethod(
  template: Template,
  distribution: DistributionOptions,
  capabilities: ProviderCapabilities,
): MethodChoice {
  const requested = distribution.method;
  const shaping = { temperature: distribution.temperature, floor: distribution.floor };
  const base = { json: false, guidedChoice: false, topLogprobs: 0, samples: 1, temperature: 0 };
  switch (template.output) {
    case 'choice': {
      if (requested === 'verbalized') {
        return { ok: false, reason: `template ${template.id} answers with a letter; verbalized needs a json-probabilities template` };
      }
      const wantsLogprobs = requested === 'auto' || requested === 'logprobs';
      if (wantsLogprobs && capabilities.logprobs) {
        const topLogprobs = Math.min(20, capabilities.maxTopLogprobs);
        return {
          ok: true,
          plan: {
            name: 'logprobs',
            parameters: { ...shaping, topLogprobs },
            decoding: {
              ...base,
              topLogprobs,
              maxOutputTokens: 4,
              guidedChoice: capabilities.guidedChoice,
            },
          },
        };
      }
      const samples = Math.min(distribution.samples, Math.max(1, capabilities.maxSamples));
      const warnings = [
        requested === 'logprobs' ? 'the provider returns no log-probabilities: used sampled votes' : undefined,
        samples < distribution.samples ? `the provider allows ${samples} samples per call` : undefined,
      ].filter((warning): warning is string => warning !== undefined);
      return {
        ok: true,
        plan: {
          name: 'samples',
          parameters: { ...shaping, samples },
          decoding: {
            ...base,
            temperature: 1,
            samples,
            maxOutputTokens: 4,
            guidedChoice: capabilities.guidedChoice,
          },
          ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
        },
      };
    }
    case 'json-probabilities':
      if (requested !== 'auto' && requested !== 'verbalized') {
        return { ok: false, reason: `template ${template.id} answers with JSON probabilities: use method "verbalized" or "auto"` };
      }
      return {
        ok: true,
        plan: {
          name: 'verbalized',
          parameters: shaping,
          decoding: { ...base, json: true, maxOutputTokens: 400 },
        },
      };
    case 'json-vector':
      if (requested !== 'auto') {
        return { ok: false, reason: `template ${template.id} answers with an action vector: use method "auto"` };
      }
      return {
        ok: true,
        plan: { name: 'vector', parameters: {}, decoding: { ...base, json: true, maxOutputTokens: 200 } },
      };
  }
}
