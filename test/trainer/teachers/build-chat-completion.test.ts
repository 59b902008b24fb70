import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildChatCompletion } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/build-chat-completion';
import type {
  ChatCompletionDialect,
  ChatCompletionInput,
  CompletionChoice,
} from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/build-chat-completion';

interface RenderedToken {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}
interface RenderedChoice {
  index: number;
  message: Record<string, unknown>;
  logprobs?: { content: RenderedToken[] | null; refusal?: RenderedToken[] | null } | null;
  finish_reason: string;
}

const answer: CompletionChoice = {
  content: 'é',
  refusal: null,
  tokens: [
    {
      token: 'é',
      logprob: -0.5,
      // Out of order on purpose: the body ranks them.
      top: [
        { token: 'A', logprob: -3 },
        { token: 'é', logprob: -0.5 },
        { token: 'B', logprob: -1 },
      ],
    },
  ],
  finishReason: 'stop',
};

function build(dialect: ChatCompletionDialect, overrides: Partial<ChatCompletionInput> = {}) {
  return buildChatCompletion({
    dialect,
    id: 'chatcmpl-1',
    created: 1_700_000_000,
    model: 'm',
    choices: [answer, { ...answer, finishReason: 'length' }],
    logprobs: true,
    topLogprobs: 2,
    promptTokens: 10,
    completionTokens: 2,
    systemFingerprint: 'fp_x',
    ...overrides,
  }) as { choices: RenderedChoice[]; usage: Record<string, unknown> } & Record<string, unknown>;
}

describe('buildChatCompletion', () => {
  it('ranks top_logprobs, cuts them to top_logprobs and gives every token its UTF-8 bytes', () => {
    for (const dialect of ['openai', 'vllm', 'ollama'] as const) {
      const [token] = build(dialect).choices[0]!.logprobs!.content!;
      assert.deepEqual(token, {
        token: 'é',
        logprob: -0.5,
        bytes: [0xc3, 0xa9],
        top_logprobs: [
          { token: 'é', logprob: -0.5, bytes: [0xc3, 0xa9] },
          { token: 'B', logprob: -1, bytes: [66] },
        ],
      });
    }
  });

  it('answers one indexed choice per sample with its own finish_reason, and sums usage', () => {
    const body = build('openai');
    assert.deepEqual(
      body.choices.map((c) => [c.index, c.finish_reason]),
      [
        [0, 'stop'],
        [1, 'length'],
      ],
    );
    assert.equal(body.id, 'chatcmpl-1');
    assert.equal(body.object, 'chat.completion');
    assert.deepEqual(
      [body.usage.prompt_tokens, body.usage.completion_tokens, body.usage.total_tokens],
      [10, 2, 12],
    );
  });

  it('puts an OpenAI refusal in message.refusal and its tokens in logprobs.refusal', () => {
    const refusal: CompletionChoice = {
      content: null,
      refusal: 'No.',
      tokens: [{ token: 'No.', logprob: -0.1 }],
      finishReason: 'stop',
    };
    const [choice] = build('openai', { choices: [refusal] }).choices;
    assert.deepEqual(choice!.message, {
      role: 'assistant',
      content: null,
      refusal: 'No.',
      annotations: [],
    });
    assert.equal(choice!.logprobs!.content, null);
    assert.equal(choice!.logprobs!.refusal![0]!.token, 'No.');
  });

  it('writes each dialect its own fields around the shared body', () => {
    const openai = build('openai');
    assert.equal(openai.system_fingerprint, 'fp_x');
    assert.equal(openai.service_tier, 'default');
    assert.deepEqual(openai.usage.prompt_tokens_details, { cached_tokens: 0, audio_tokens: 0 });

    const vllm = build('vllm');
    assert.equal((vllm.choices[0] as unknown as { stop_reason: unknown }).stop_reason, null);
    assert.deepEqual(Object.keys(vllm.choices[0]!.message), [
      'role',
      'reasoning_content',
      'content',
      'tool_calls',
    ]);
    assert.equal(vllm.usage.prompt_tokens_details, null);
    assert.ok(!('system_fingerprint' in vllm));

    const ollama = build('ollama', { logprobs: false });
    assert.deepEqual(ollama.choices[0]!.message, { role: 'assistant', content: 'é' });
    assert.ok(!('logprobs' in ollama.choices[0]!), 'Ollama leaves logprobs out, not null');
    assert.deepEqual(Object.keys(ollama.usage), [
      'prompt_tokens',
      'completion_tokens',
      'total_tokens',
    ]);
  });

  it('answers logprobs: null when they were not asked for', () => {
    for (const dialect of ['openai', 'vllm'] as const)
      assert.equal(build(dialect, { logprobs: false }).choices[0]!.logprobs, null);
  });
});
