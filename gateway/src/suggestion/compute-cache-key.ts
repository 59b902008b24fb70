import { createHash } from 'node:crypto';
import type { Actions } from '@teacher-gateway/client';
import { canonicalJson } from './canonical-json.ts';

/** Everything that decides a teacher's answer, and nothing else (not tags, not key order). */
export interface CacheKeyInput {
  provider: { kind: string; model: string };
  template: { id: string; sha256: string };
  /** The variables the template renders, with the image as its hash. */
  variables: { text?: string; state?: unknown; image?: string };
  actions: Actions;
  method: { name: string; parameters: Record<string, unknown> };
  decoding: Record<string, unknown>;
}

export interface CacheKey {
  key: string;
  /** The hash of each component; two requests differ exactly where these differ. */
  components: Record<keyof CacheKeyInput, string>;
}

/**
 * The cache key: sha256 over the hashes of the canonical form of each component.
 *
 * @example
 * computeCacheKey(input).key // 64 hex digits
 */
export function computeCacheKey(input: CacheKeyInput): CacheKey {
  const components = {
    provider: hash(canonicalJson(input.provider)),
    template: hash(canonicalJson(input.template)),
    variables: hash(canonicalJson(input.variables)),
    actions: hash(canonicalJson(input.actions)),
    method: hash(canonicalJson(input.method)),
    decoding: hash(canonicalJson(input.decoding)),
  };
  return { key: hash(canonicalJson(components)), components };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
