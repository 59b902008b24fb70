import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startGeminiStandIn } from './gemini-stand-in.ts';
import { startOllamaStandIn } from './ollama-stand-in.ts';
import { startOpenAIStandIn } from './openai-stand-in.ts';
import { startVllmStandIn } from './vllm-stand-in.ts';

const prompt =
  'Choose one. A) turn left B) turn right C) move forward D) pick up\nAnswer with the letter.';

interface TokenLogprob {
  token: string;
  logprob: number;
  top_logprobs: { token: string; logprob: number }[];
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('stand-ins answer as the real servers do', () => {
  for (const [name, start] of [
    ['openai', () => startOpenAIStandIn()],
    ['vllm', () => startVllmStandIn()],
    ['ollama', () => startOllamaStandIn()],
  ] as const) {
    it(`${name}: top_logprobs lists the alternatives it has, never padded with -9999 entries`, async () => {
      const standIn = await start();
      try {
        const { status, body } = await post(`${standIn.url}/chat/completions`, {
          model: 'm',
          messages: [{ role: 'user', content: prompt }],
          logprobs: true,
          top_logprobs: 10,
        });
        assert.equal(status, 200);
        const choice = (
          body.choices as { message: { content: string }; logprobs: { content: TokenLogprob[] } }[]
        )[0]!;
        assert.equal(choice.message.content, 'C');
        const [token] = choice.logprobs.content;
        assert.ok(token && token.top_logprobs.length >= 2 && token.top_logprobs.length <= 10);
        assert.ok(
          token.top_logprobs.every((entry) => entry.logprob > -9999),
          JSON.stringify(token.top_logprobs),
        );
        assert.deepEqual(token.top_logprobs.map((entry) => entry.token).sort(), [
          'A',
          'B',
          'C',
          'D',
        ]);
      } finally {
        await standIn.close();
      }
    });
  }

  it('gemini: every position has exactly k top candidates, however few the script gave', async () => {
    const standIn = await startGeminiStandIn();
    try {
      for (const k of [1, 3, 8]) {
        const { status, body } = await post(
          `${standIn.url}/v1beta/models/gemini-2.0-flash:generateContent`,
          {
            contents: [{ role: 'user', parts: [{ text: prompt }] }],
            generationConfig: { responseLogprobs: true, logprobs: k },
          },
        );
        assert.equal(status, 200);
        const [candidate] = body.candidates as {
          logprobsResult: {
            topCandidates: { candidates: { token: string; logProbability: number }[] }[];
          };
        }[];
        const positions = candidate!.logprobsResult.topCandidates;
        assert.ok(positions.length > 0);
        for (const position of positions) {
          assert.equal(position.candidates.length, k, JSON.stringify(position.candidates));
          const logprobs = position.candidates.map((entry) => entry.logProbability);
          assert.deepEqual(
            logprobs,
            [...logprobs].sort((a, b) => b - a),
            'most likely first',
          );
          assert.equal(
            new Set(position.candidates.map((entry) => entry.token)).size,
            k,
            'distinct tokens',
          );
        }
      }
    } finally {
      await standIn.close();
    }
  });
});
