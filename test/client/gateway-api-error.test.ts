import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  GatewayApiError,
  errorStatus,
  parseRetryAfter,
  retryDelayMs,
} from '@teacher-gateway/client';
import type { ErrorCode } from '@teacher-gateway/client';

describe('GatewayApiError', () => {
  test('is retryable exactly for 429, 502, 503, 504 and lost connections', () => {
    const retryable = Object.entries(errorStatus)
      .filter(
        ([code]) =>
          GatewayApiError.fromBody({
            error: { code: code as ErrorCode, message: 'm', details: {} },
          }).retryable,
      )
      .map(([code]) => code)
      .sort();
    assert.deepEqual(retryable, [
      'provider_error',
      'provider_timeout',
      'provider_unavailable',
      'rate_limited',
      'storage_unavailable',
    ]);
    assert.equal(
      new GatewayApiError({ code: 'network_error', message: 'm', status: 0 }).retryable,
      true,
    );
    assert.equal(new GatewayApiError({ code: 'timeout', message: 'm', status: 0 }).retryable, true);
    assert.equal(
      new GatewayApiError({ code: 'invalid_response', message: 'm', status: 200 }).retryable,
      false,
    );
    assert.equal(
      new GatewayApiError({ code: 'invalid_response', message: 'm', status: 502 }).retryable,
      true,
      'a proxy 502 is still worth retrying',
    );
  });

  test('takes the status from the code when a batch item carries none', () => {
    const error = GatewayApiError.fromBody({
      error: { code: 'not_cached', message: 'miss', details: { key: 'k' } },
    });
    assert.equal(error.status, 404);
    assert.deepEqual(error.details, { key: 'k' });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'GatewayApiError');
  });
});

describe('retry timing', () => {
  test('parseRetryAfter reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter('0.5'), 500);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 7_000), 3000);
  });

  test('Retry-After wins over the backoff, capped; the backoff doubles with jitter', () => {
    const options = { baseMs: 100, maxMs: 1000, random: () => 1 };
    assert.equal(retryDelayMs(0, 300, options), 300);
    assert.equal(retryDelayMs(0, 5000, options), 1000);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, undefined, options)),
      [100, 200, 400, 800, 1000],
    );
    assert.equal(retryDelayMs(1, undefined, { ...options, random: () => 0 }), 100);
  });
});
