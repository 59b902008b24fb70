import assert from 'node:assert/strict';
import { encodeRgbPng } from '@teacher-gateway/client';
import type { GenerateOptions, GenerateResult } from '@teacher-gateway/gateway/internal/providers/provider';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';
import type { TestGateway } from './create-test-gateway.ts';
import { createTestGateway, minigridActions } from './create-test-gateway.ts';
import type { FakeProvider } from './fake-provider.ts';
import { createFakeProvider, letterAnswer } from './fake-provider.ts';

/** Providers with prices, so the run summary has costs and savings to show. */
export const recordedTrafficYaml = `storage: { path: ":memory:" }
defaultProvider: fake
providers:
  - { id: fake, kind: openai, model: fake-model, apiKey: test-key, maxRetries: 2, pricing: { inputPerMillion: 150, outputPerMillion: 600 } }
  - { id: other, kind: openai, model: other-model, apiKey: test-key, maxRetries: 0 }
`;

/** A 64x64 picture: a blue-green gradient with a red square, so a rendered image is visibly not blank. */
export function gridPicture(squareX = 40): string {
  const size = 64;
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const offset = (y * size + x) * 3;
      const inSquare = x >= squareX && x < squareX + 16 && y >= 8 && y < 24;
      data[offset] = inSquare ? 220 : 30;
      data[offset + 1] = inSquare ? 40 : x * 3;
      data[offset + 2] = inSquare ? 40 : 120 + y;
    }
  }
  return `data:image/png;base64,${Buffer.from(encodeRgbPng({ width: size, height: size, data })).toString('base64')}`;
}

/** Text that would run script if any page put log content into HTML unescaped. */
export const hostileText = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

export interface RecordedTraffic {
  gateway: TestGateway;
  fake: FakeProvider;
  other: FakeProvider;
  ids: { miss: string; hit: string; retried: string; error: string; otherRun: string };
}

/**
 * A gateway whose audit log holds a little of everything the viewer shows: two runs, cache
 * misses and hits, a retried call, a failed request, a 64x64 PNG, planner tags that agree and
 * disagree, and hostile text in a prompt and a tag.
 */
export async function seedRecordedTraffic(
  options: { environment?: Record<string, string>; yaml?: string } = {},
): Promise<RecordedTraffic> {
  const fake = createFakeProvider();
  const other = createFakeProvider({ id: 'other', model: 'other-model' });
  fake.fallback = (generateOptions) => recordedAnswer(generateOptions, 'C');
  other.fallback = (generateOptions) => recordedAnswer(generateOptions, 'A');
  const gateway = createTestGateway({
    yaml: options.yaml ?? recordedTrafficYaml,
    providers: { fake, other },
    ...(options.environment ? { environment: options.environment } : {}),
  });
  const headers: Record<string, string> = options.environment?.GATEWAY_TOKEN
    ? { authorization: `Bearer ${options.environment.GATEWAY_TOKEN}` }
    : {};
  const suggest = async (body: Record<string, unknown>, status = 200): Promise<string> => {
    const response = await gateway.app.request('/v1/suggestions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ template: 'minigrid-lvlm2p', actions: minigridActions, ...body }),
    });
    const answer = (await response.json()) as { id?: string; error?: { requestId?: string } };
    assert.equal(response.status, status, JSON.stringify(answer));
    return answer.id ?? answer.error?.requestId ?? '';
  };
  const picture = gridPicture();
  const observation = {
    image: picture,
    text: 'use the key to open the door and then get to the goal',
  };
  const miss = await suggest({ observation, tags: { run: 'ppo-a', step: 1, plannerAction: 2 } });
  const hit = await suggest({ observation, tags: { run: 'ppo-a', step: 2, plannerAction: 0 } });
  fake.queue.push(
    new ProviderCallError({
      kind: 'overloaded',
      message: 'upstream overloaded',
      status: 503,
      retryable: true,
      raw: { status: 503, headers: { 'retry-after': '0' }, responseBody: { error: 'overloaded' } },
    }),
  );
  const retried = await suggest({
    observation: { ...observation, text: hostileText },
    tags: { run: 'ppo-a', step: 3, note: hostileText },
  });
  fake.queue.push(
    new ProviderCallError({
      kind: 'invalid-request',
      message: 'the model rejected the prompt',
      status: 400,
      retryable: false,
      raw: { status: 400, headers: {}, responseBody: { error: { message: 'bad prompt' } } },
    }),
  );
  await suggest(
    { observation: { ...observation, text: 'this one fails' }, tags: { run: 'ppo-a', step: 4 } },
    502,
  );
  const otherRun = await suggest({
    observation: { image: gridPicture(8), text: 'a different room' },
    provider: 'other',
    tags: { run: 'ppo-b', step: 1, plannerAction: 0 },
  });
  await gateway.flush();
  const error =
    gateway.database
      .prepare<[], { id: string }>('SELECT id FROM requests WHERE status >= 300')
      .get()?.id ?? '';
  return { gateway, fake, other, ids: { miss, hit, retried, error, otherRun } };
}

/** A letter answer whose raw exchange looks like the OpenAI wire format, so the detail page has bodies to show. */
function recordedAnswer(options: GenerateOptions, letter: string): GenerateResult {
  const answer = letterAnswer(letter, { A: 0.04, B: 0.03, D: 0.02 });
  const prompt = options.messages.map((message) =>
    message.parts.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n'),
  );
  return {
    ...answer,
    usage: { inputTokens: 812, outputTokens: 1 },
    raw: {
      url: 'https://api.example.test/v1/chat/completions',
      requestBody: {
        model: 'fake-model',
        max_tokens: 1,
        logprobs: true,
        top_logprobs: 20,
        messages: prompt,
      },
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_123' },
      responseBody: {
        choices: [
          { index: 0, message: { role: 'assistant', content: letter }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 812, completion_tokens: 1 },
      },
    },
  };
}
