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
    provider: hashRepeated(input.provider),
    template: hashRepeated(input.template),
    variables: hash(canonicalJson(input.variables)),
    actions: hashRepeated(input.actions),
    method: hashRepeated(input.method),
    decoding: hashRepeated(input.decoding),
  };
  return { key: hash(canonicalJson(components)), components };
}

// Every component but the variables repeats across a run's requests. They are remembered by their
// plain JSON, which is cheaper to write than the canonical form: the same text always has the same
// canonical form, and a value spelled in another key order only costs one more entry.
const repeatedHashes = new Map<string, string>();
const maxRemembered = 1024;

function hashRepeated(value: unknown): string {
  const text = JSON.stringify(value);
  const known = repeatedHashes.get(text);
  if (known !== undefined) return known;
  const digest = hash(canonicalJson(value));
  // A crude bound: configurations seldom have more than a handful of distinct values per part.
  if (repeatedHashes.size >= maxRemembered) repeatedHashes.clear();
  repeatedHashes.set(text, digest);
  return digest;
}

function hash(text: string): string {
  return sha256Hex('sha256', text, 'hex');
}
