import fc from 'fast-check';
import type { GenerateResult, TokenLogprob } from '@teacher-gateway/gateway/internal/providers/provider';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';

/** Log-probabilities as a broken provider might report them, NaN and the infinities included. */
export const hostileLogprob = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1, 5, -9999, -1e308, Number.MAX_VALUE),
  fc.double(),
);

/** Tokens near what a choice answer contains: letters, spellings of letters, junk. */
export const hostileToken = fc.oneof(
  fc.constantFrom('A', 'B', 'C', 'G', 'Z', ' A', 'a', 'A.', '(B)', 'Answer: C', '', ' ', '\n', 'NaN', '{"A":1}', 'ä', '😀'),
  fc.string({ maxLength: 6 }),
);

export const hostileTokenLogprob: fc.Arbitrary<TokenLogprob> = fc.record({
  token: hostileToken,
  logprob: hostileLogprob,
  top: fc.array(fc.record({ token: hostileToken, logprob: hostileLogprob }), { maxLength: 8 }),
});

/** Answer texts for verbalized, vector and sampled answers, half of them almost right. */
export const hostileText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    'A', 'B', '{"A": 0.5, "B": 0.5}', '{"probabilities": {"A": NaN}}', '{"A": 1e999, "B": -1e999}', '{"A": -0, "B": 0}',
    '{"vector": [0.1, 0.2]}', '{"dx": "NaN", "dy": Infinity}', '[1e999, -1e999]', '```json\n{"A": 1}\n```', '{"A": 1,',
    '{"A": "0.3", "B": "0.7"}', '{}', '[]', 'null', '{"A": -1, "B": 2}',
  ),
  fc.dictionary(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'dx', 'dy', 'turn left'), fc.oneof(fc.double(), fc.string({ maxLength: 4 })), { maxKeys: 8 }).map((record) => JSON.stringify(record)),
);

const generated: fc.Arbitrary<GenerateResult> = fc
  .record({
    choices: fc.array(
      fc.record({
        text: hostileText,
        logprobs: fc.option(fc.array(hostileTokenLogprob, { maxLength: 6 }), { nil: undefined }),
        finish: fc.constantFrom('stop', 'length', 'content-filter', 'refusal', 'error', 'other') as fc.Arbitrary<'stop'>,
      }),
      { maxLength: 10 },
    ),
    inputTokens: fc.oneof(fc.nat(), fc.constant(Number.NaN)),
  })
  .map(({ choices, inputTokens }) => ({
    choices: choices.map(({ text, logprobs, finish }) => ({
      text,
      finishReason: { unified: finish, raw: finish },
      ...(logprobs ? { logprobs } : {}),
    })),
    usage: { inputTokens: Number.isNaN(inputTokens) ? 0 : inputTokens, outputTokens: 1 },
    warnings: [],
    raw: { url: 'http://fake/v1/chat/completions', requestBody: {}, status: 200, headers: {}, responseBody: {} },
  }));

const failure: fc.Arbitrary<ProviderCallError> = fc
  .record({
    kind: fc.constantFrom('rate-limited', 'quota-exhausted', 'invalid-request', 'overloaded', 'timeout', 'network', 'other') as fc.Arbitrary<'other'>,
    retryable: fc.boolean(),
    message: fc.string({ maxLength: 30 }),
  })
  .map((options) => new ProviderCallError(options));

/** What the fake provider answers in the property tests: malformed results and failed calls. */
export const hostileAnswer: fc.Arbitrary<GenerateResult | ProviderCallError> = fc.oneof(
  { arbitrary: generated, weight: 4 },
  { arbitrary: failure, weight: 1 },
);
