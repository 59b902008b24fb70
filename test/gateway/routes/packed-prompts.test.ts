import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GenerateResult } from '@teacher-gateway/gateway/internal/providers/provider';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest, tinyPng } from '../../helpers/create-test-gateway.ts';

/** Answers a packed prompt with one letter per line, each with its own alternatives. */
function packedAnswer(letters: string[]): GenerateResult {
  const tokens = letters.flatMap((letter, index) => [
    { token: letter, logprob: Math.log(0.8), top: [{ token: letter, logprob: Math.log(0.8) }, { token: 'A', logprob: Math.log(0.1) }] },
    ...(index < letters.length - 1 ? [{ token: '\n', logprob: 0, top: [] }] : []),
  ]);
  return {
    choices: [{ text: letters.join('\n'), finishReason: { unified: 'stop', raw: 'stop' }, logprobs: tokens }],
    usage: { inputTokens: 900, outputTokens: 2 * letters.length },
    warnings: [],
    raw: { url: 'http://fake', requestBody: {}, status: 200, headers: {}, responseBody: {} },
  };
}

test('misses of a packed template share one upstream call, one answer line each', async () => {
  const fake = createFakeProvider();
  fake.fallback = (options) => {
    const observations = options.messages.at(-1)?.parts.filter((part) => part.type === 'image').length ?? 0;
    return packedAnswer(['C', 'F', 'B'].slice(0, observations));
  };
  const gateway = createTestGateway({ providers: { fake } });
  const missions = ['get to the goal', 'open the door', 'pick up the key'];
  const response = await gateway.post('/v1/suggestions:batch', {
    requests: missions.map((text) => suggestionRequest({ observation: { image: tinyPng, text } })),
  });
  const body = (await response.json()) as { results: { action: number; cache: string; usage: { inputTokens: number } }[] };
  assert.equal(fake.calls.length, 1);
  assert.deepEqual(body.results.map((result) => result.action), [2, 5, 1]);
  assert.ok(body.results.every((result) => result.cache === 'miss'));
  assert.equal(body.results[0]?.usage.inputTokens, 300, 'tokens are shared out');
  const prompt = fake.calls[0]?.messages.at(-1)?.parts.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n') ?? '';
  assert.match(prompt, /Observation 3:/);
  assert.match(prompt, /exactly 3 lines/);
  assert.doesNotMatch(prompt, /Answer with a single letter/, 'the single-answer instruction is hidden when packed');

  // Each packed answer is cached under its own request's key.
  const again = (await (await gateway.post('/v1/suggestions', suggestionRequest({ observation: { image: tinyPng, text: 'open the door' } }))).json()) as { cache: string; action: number };
  assert.equal(again.cache, 'hit');
  assert.equal(again.action, 5);
});

test('an observation the packed answer misses is asked on its own', async () => {
  const fake = createFakeProvider();
  fake.queue.push(packedAnswer(['C']));
  const gateway = createTestGateway({ providers: { fake } });
  const response = await gateway.post('/v1/suggestions:batch', {
    requests: ['a', 'b'].map((text) => suggestionRequest({ observation: { image: tinyPng, text } })),
  });
  const body = (await response.json()) as { results: { action: number }[] };
  assert.equal(fake.calls.length, 2);
  assert.deepEqual(body.results.map((result) => result.action), [2, 2]);
  assert.equal(fake.calls[1]?.messages.at(-1)?.parts.filter((part) => part.type === 'image').length, 1);
});
