import assert from 'node:assert/strict';
import { ErrorBodySchema, SuggestionSchema } from '@teacher-gateway/client';

/** Statuses a gateway with a healthy provider and database may answer with. */
const allowed = new Set([200, 201, 400, 401, 404, 413, 422, 429, 502, 503, 504]);

/**
 * What every answer to hostile input must be: never a 500, every error in the API.md shape, every
 * suggestion a finite distribution summing to 1. Returns the parsed body.
 */
export async function assertWellFormedResponse(response: Response, label: string): Promise<unknown> {
  const text = await response.text();
  assert.ok(allowed.has(response.status), `${label}: status ${response.status}: ${text.slice(0, 500)}`);
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) return text;
  const body = JSON.parse(text) as unknown;
  if (response.status >= 400) {
    const parsed = ErrorBodySchema.safeParse(body);
    assert.ok(parsed.success, `${label}: error body off the API shape: ${text.slice(0, 500)}`);
  }
  return body;
}

/** A 200 suggestion: the contract's shape, finite probabilities summing to 1, a finite vector. */
export function assertSoundSuggestion(body: unknown, label: string): void {
  const suggestion = SuggestionSchema.parse(body);
  if (suggestion.probs) {
    assert.ok(suggestion.probs.every((p) => Number.isFinite(p) && p >= 0), `${label}: probs ${JSON.stringify(suggestion.probs)}`);
    const total = suggestion.probs.reduce((sum, p) => sum + p, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `${label}: probs sum to ${total}`);
    assert.ok(Number.isFinite(suggestion.entropy), `${label}: entropy ${suggestion.entropy}`);
  }
  if (suggestion.vector) assert.ok(suggestion.vector.every(Number.isFinite), `${label}: vector ${JSON.stringify(suggestion.vector)}`);
  assert.ok(suggestion.probs || suggestion.vector, `${label}: neither probs nor vector`);
}
