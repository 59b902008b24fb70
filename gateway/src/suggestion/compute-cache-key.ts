import { hash as sha256Hex } from 'node:crypto';
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
    provider: hashRepeated(canonicalJson(input.provider)),
    template: hashRepeated(canonicalJson(input.template)),
    variables: hash(canonicalJson(input.variables)),
    actions: hashRepeated(canonicalJson(input.actions)),
    method: hashRepeated(canonicalJson(input.method)),
    decoding: hashRepeated(canonicalJson(input.decoding)),
  };
  return { key: hash(canonicalJson(components)), components };
}

// Every component but the variables repeats across a run's requests; remembering their hashes
// takes five of the seven sha256 computations off the cache-hit path.
const repeatedHashes = new Map<string, string>();
const maxRemembered = 1024;

function hashRepeated(text: string): string {
  const known = repeatedHashes.get(text);
  if (known !== undefined) return known;
  const digest = hash(text);
  // A crude bound: configurations seldom have more than a handful of distinct values per part.
  if (repeatedHashes.size >= maxRemembered) repeatedHashes.clear();
  repeatedHashes.set(text, digest);
  return digest;
}

function hash(text: string): string {
  return sha256Hex('sha256', text, 'hex');
}
