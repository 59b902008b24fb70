import { hash as sha256Hex } from 'node:crypto';
import { canonicalJson } from '../suggestion/canonical-json.ts';
import { canonicalGeminiRequest } from './gemini/canonical-gemini-request.ts';
import type { ResolvedImages } from './resolve-images.ts';
import { replaceImages } from './resolve-images.ts';
import type { Target } from './resolve-target.ts';
import { geminiRequestToOpenAI } from './translate/gemini-request-to-openai.ts';
import { openAIRequestToGemini } from './translate/openai-request-to-gemini.ts';
import type { Wire } from './wire.ts';
import { wireOf } from './wire.ts';

type Json = Record<string, unknown>;

/** A request planned against one target: the body to send and the cache key it fills. */
export interface DropInPlan {
  target: Target;
  providerWire: Wire;
  upstreamBody: Json;
  /** The upstream body with images by hash, for the audit log. */
  readonly loggedBody: unknown;
  key: string;
  components: Record<string, string>;
  sampling: boolean;
  seed: number | undefined;
  endpoint: string;
}

/** OpenAI fields that cannot change the answer (wire facts §1): logged, not keyed. */
const unkeyedOpenAIFields = ['model', 'user', 'metadata', 'store', 'service_tier', 'stream', 'stream_options', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention'];

/**
 * Step 2, plan: the body the target's provider gets (passed through, or translated to its API) and
 * the cache key over the canonical request, images by the sha256 of their decoded bytes.
 */
export function planDropInRequest(target: Target, clientWire: Wire, resolved: ResolvedImages): DropInPlan {
  const { config: provider } = target.provider;
  const providerWire = wireOf(provider.kind);
  const body = resolved.body;
  let upstreamBody: Json;
  if (providerWire === clientWire) {
    upstreamBody = providerWire === 'openai' ? { ...body, model: target.model } : { ...body };
    delete upstreamBody.stream;
    delete upstreamBody.stream_options;
    if (providerWire === 'gemini') delete upstreamBody.model;
  } else if (providerWire === 'gemini') {
    upstreamBody = openAIRequestToGemini(body);
  } else {
    upstreamBody = geminiRequestToOpenAI(body, target.model, provider.kind === 'openai' ? 'max_completion_tokens' : 'max_tokens');
  }
  const keyed: Json = providerWire === 'openai' ? { ...upstreamBody } : canonicalGeminiRequest(upstreamBody);
  if (providerWire === 'openai') for (const field of unkeyedOpenAIFields) delete keyed[field];
  const generation = (keyed.generationConfig ?? {}) as Json;
  const temperature = Number((providerWire === 'openai' ? keyed.temperature : generation.temperature) ?? 1);
  const sampling = temperature > 0;
  const seedValue = providerWire === 'openai' ? keyed.seed : generation.seed;
  const seed = typeof seedValue === 'number' ? seedValue : undefined;
  // A sampling request's seed picks its sample slot instead of splitting the key.
  if (sampling && providerWire === 'openai') delete keyed.seed;
  if (sampling && providerWire === 'gemini' && generation.seed !== undefined) {
    const rest = { ...generation };
    delete rest.seed;
    if (Object.keys(rest).length > 0) keyed.generationConfig = rest;
    else delete keyed.generationConfig;
  }
  const conversationFields = providerWire === 'openai' ? ['messages'] : ['contents', 'systemInstruction', 'system_instruction'];
  const conversation: Json = {};
  const parameters: Json = {};
  for (const [field, value] of Object.entries(keyed)) (conversationFields.includes(field) ? conversation : parameters)[field] = value;
  const endpoint = providerWire === 'openai' ? 'chat.completions' : 'generateContent';
  const components = {
    provider: hash(canonicalJson({ kind: provider.kind, model: target.model })),
    endpoint: hash(endpoint),
    conversation: hash(canonicalJson(replaceImages(conversation, resolved.hashes))),
    parameters: hash(canonicalJson(parameters)),
  };
  return {
    target,
    providerWire,
    upstreamBody,
    // Made only for the audit log, and only when a row needs it.
    get loggedBody() {
      return replaceImages(upstreamBody, resolved.hashes);
    },
    key: hash(canonicalJson(components)),
    components,
    sampling,
    seed,
    endpoint,
  };
}

function hash(text: string): string {
  return sha256Hex('sha256', text, 'hex');
}
