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

/** The variables a template may render, each hashed on its own beside the key's components. */
export const variableNames = ['text', 'image', 'state'] as const;
export type VariableName = (typeof variableNames)[number];

export interface CacheKey {
  key: string;
  /**
   * The hash of each component; two requests differ exactly where these differ. Beside them, one
   * hash per variable the request renders (`text`, `image`, `state`), so a miss can say which
   * variable differs; those are not part of the key, which stays what the first release computed.
   */
  components: Record<keyof CacheKeyInput, string> & Partial<Record<VariableName, string>>;
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
  const key = hash(canonicalJson(components));
  const { variables } = input;
  return {
    key,
    components: {
      ...components,
      ...(variables.text !== undefined ? { text: hash(canonicalJson(variables.text)) } : {}),
      ...(variables.image !== undefined ? { image: hash(canonicalJson(variables.image)) } : {}),
      ...(variables.state !== undefined ? { state: hash(canonicalJson(variables.state)) } : {}),
    },
  };
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
