import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';

test('the shipped gateway.config.yaml is valid and reports unset keys by variable', () => {
  const text = readFileSync(new URL('../../../gateway.config.yaml', import.meta.url), 'utf8');
  const { config, missingVariables } = loadConfig(text, {});
  assert.equal(config.server.port, 8787);
  assert.equal(config.defaultProvider, 'openai-mini');
  assert.equal(missingVariables.get('providers.0.apiKey'), 'OPENAI_API_KEY');
  assert.equal(missingVariables.get('providers.1.apiKey'), 'GEMINI_API_KEY');
  const withKey = loadConfig(text, { OPENAI_API_KEY: 'sk-test' });
  assert.equal(withKey.config.providers[0]?.apiKey, 'sk-test');
});

test('defaults fill an empty file; command-line overrides win', () => {
  const { config } = loadConfig('', {}, { port: 9999, db: ':memory:', mode: 'replay', host: '0.0.0.0' });
  assert.equal(config.server.port, 9999);
  assert.equal(config.server.host, '0.0.0.0');
  assert.equal(config.storage.path, ':memory:');
  assert.equal(config.cache.mode, 'replay');
  assert.equal(config.batching.windowMs, 2);
});

test('an invalid file fails with the field and the reason', () => {
  const cases: [string, RegExp][] = [
    ['server: { port: "eighty" }', /server\.port: .*number/i],
    ['cache: { mode: sometimes }', /cache\.mode/],
    ['providers: [{ id: x, kind: anthropic, model: m }]', /providers\.0\.kind/],
    ['providers: [{ id: x, kind: openai }]', /providers\.0\.model/],
    ['defaultProvider: ghost', /defaultProvider: "ghost" is not a configured provider/],
    ['providers: [{ id: a, kind: openai, model: m }, { id: a, kind: openai, model: m }]', /duplicate provider id/],
    ['fallbacks: { a: [b] }', /fallbacks\.a/],
    ['servr: {}', /servr|unrecognized/i],
    ['server: [', /not valid YAML/],
  ];
  for (const [yaml, message] of cases) {
    assert.throws(() => loadConfig(yaml, {}), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, message, yaml);
      return true;
    });
  }
});

test('${VAR:-default} falls back without reporting a missing variable', () => {
  const { config, missingVariables } = loadConfig('server: { host: "${HOST:-127.0.0.2}" }', {});
  assert.equal(config.server.host, '127.0.0.2');
  assert.equal(missingVariables.size, 0);
});
