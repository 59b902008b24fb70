import type {
  GenerateOptions,
  GenerateResult,
  ProviderCapabilities,
  VisionLanguageModel,
} from '@teacher-gateway/gateway/internal/providers/provider';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';

export type FakeAnswer = GenerateResult | ProviderCallError | ((options: GenerateOptions) => GenerateResult);

export interface FakeProvider extends VisionLanguageModel {
  calls: GenerateOptions[];
  /** Answers used in order; when they run out, `fallback` answers. */
  queue: FakeAnswer[];
  fallback: FakeAnswer;
  capabilitiesNow: ProviderCapabilities;
}

/** A letter answer with a log-probability spread, shaped as adapters normalise it. */
export function letterAnswer(letter: string, spread: Record<string, number> = {}): GenerateResult {
  const top = Object.entries({ [letter]: 0.9, ...spread }).map(([token, p]) => ({ token, logprob: Math.log(p) }));
  return {
    choices: [
      {
        text: letter,
        finishReason: { unified: 'stop', raw: 'stop' },
        logprobs: [{ token: letter, logprob: Math.log(0.9), top }],
      },
    ],
    usage: { inputTokens: 100, outputTokens: 1 },
    warnings: [],
    raw: { url: 'http://fake/v1/chat/completions', requestBody: {}, status: 200, headers: {}, responseBody: {} },
  };
}

export function textAnswer(...texts: string[]): GenerateResult {
  return {
    choices: texts.map((text) => ({ text, finishReason: { unified: 'stop' as const, raw: 'stop' } })),
    usage: { inputTokens: 100, outputTokens: 10 },
    warnings: [],
    raw: { url: 'http://fake/v1/chat/completions', requestBody: {}, status: 200, headers: {}, responseBody: {} },
  };
}

/** A provider that answers from a script and records what it was asked. */
export function createFakeProvider(
  options: { id?: string; model?: string; kind?: string; capabilities?: Partial<ProviderCapabilities>; delayMs?: number } = {},
): FakeProvider {
  const provider: FakeProvider = {
    id: options.id ?? 'fake',
    kind: options.kind ?? 'openai',
    model: options.model ?? 'fake-model',
    calls: [],
    queue: [],
    fallback: letterAnswer('C', { A: 0.05, B: 0.05 }),
    capabilitiesNow: {
      logprobs: true,
      maxTopLogprobs: 20,
      samples: true,
      maxSamples: 16,
      images: true,
      guidedChoice: false,
      ...options.capabilities,
    },
    capabilities() {
      return provider.capabilitiesNow;
    },
    async doGenerate(generateOptions) {
      provider.calls.push(generateOptions);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const next = provider.queue.length > 0 ? provider.queue.shift() : provider.fallback;
      if (next instanceof ProviderCallError) throw next;
      if (typeof next === 'function') return next(generateOptions);
      return next as GenerateResult;
    },
  };
  return provider;
}
