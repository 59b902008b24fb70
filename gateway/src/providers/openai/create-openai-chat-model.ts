import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import type { ProviderConfig } from '../../config/config-schema.ts';
import type {
  BatchCodec,
  Choice,
  GenerateOptions,
  GenerateResult,
  ProviderCapabilities,
  ProviderWarning,
  VisionLanguageModel,
} from '../provider.ts';
import { redactSecret } from '../redact-secret.ts';
import { convertToOpenAIMessages } from './convert-to-openai-messages.ts';
import { createOpenAIBatchLabelling } from './create-openai-batch-labelling.ts';
import { createRecordingFetch } from './create-recording-fetch.ts';
import type { FetchFunction } from './create-recording-fetch.ts';
import { mapOpenAIError } from './map-openai-error.ts';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { normalizeOpenAILogprobs } from './normalize-openai-logprobs.ts';

export interface OpenAIChatModelSettings {
  config: ProviderConfig;
  kind: string;
  apiKey: string;
  baseURL: string;
  fetch?: FetchFunction;
  /** Answers larger than this are not read (`limits.upstreamResponseBytes`). */
  maxResponseBytes?: number;
  /** OpenAI wants `max_completion_tokens`; local servers still read `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  capabilities: ProviderCapabilities;
  /** Server-specific request fields (vLLM `guided_choice`), merged into the body as sent. */
  extraBody?: (
    options: GenerateOptions,
    capabilities: ProviderCapabilities,
  ) => Record<string, unknown>;
  /** The server has OpenAI's Batch API (files + batches endpoints). */
  batchApi?: boolean;
}

/**
 * The chat-completions adapter shared by the `openai` and `openai-compatible` kinds: one SDK client
 * without its own retries (the gateway retries so every attempt is audited), a recording fetch for
 * the raw exchange, and tolerant normalisation of what comes back.
 */
export function createOpenAIChatModel(settings: OpenAIChatModelSettings): VisionLanguageModel {
  const { config } = settings;
  const recording = createRecordingFetch(settings.fetch, settings.maxResponseBytes);
  const client = new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseURL,
    timeout: config.timeoutMs,
    maxRetries: 0,
    fetch: recording.fetch,
  });
  const capabilities: ProviderCapabilities = { ...settings.capabilities };
  const url = `${settings.baseURL.replace(/\/+$/, '')}/chat/completions`;

  function requestBody(options: GenerateOptions, warnings: ProviderWarning[]) {
    const samples = Math.max(1, Math.min(options.samples, capabilities.maxSamples));
    if (options.samples > samples) {
      warnings.push({ type: 'unsupported', feature: 'samples', details: `capped at ${samples}` });
    }
    const wantLogprobs = options.topLogprobs > 0;
    if (wantLogprobs && !capabilities.logprobs) {
      warnings.push({
        type: 'unsupported',
        feature: 'logprobs',
        details: `${config.model} does not return logprobs`,
      });
    }
    const sendLogprobs = wantLogprobs && capabilities.logprobs;
    const body: Record<string, unknown> = {
      model: config.model,
      messages: convertToOpenAIMessages(options.messages),
      [settings.maxTokensField]: options.maxOutputTokens,
      temperature: options.temperature,
      ...(samples > 1 ? { n: samples } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(sendLogprobs
        ? {
            logprobs: true,
            top_logprobs: Math.min(options.topLogprobs, capabilities.maxTopLogprobs),
          }
        : {}),
      ...(options.json ? { response_format: { type: 'json_object' } } : {}),
      ...settings.extraBody?.(options, capabilities),
    };
    return { body, samples, sendLogprobs };
  }

  function toResult(
    completion: ChatCompletion,
    request: { samples: number; sendLogprobs: boolean },
    warnings: ProviderWarning[],
    raw: GenerateResult['raw'],
  ): GenerateResult {
    const choices = readChoices(completion, request.sendLogprobs, warnings);
    if (request.samples > 1 && choices.length < request.samples) {
      warnings.push({
        type: 'unsupported',
        feature: 'samples',
        details: `asked for ${request.samples} choices, got ${choices.length}`,
      });
    }
    return {
      choices,
      usage: {
        inputTokens: completion.usage?.prompt_tokens ?? 0,
        outputTokens: completion.usage?.completion_tokens ?? 0,
      },
      warnings,
      raw,
    };
  }

  const batch: BatchCodec = {
    endpoint: '/v1/chat/completions',
    requestBody: (options) => requestBody(options, []).body,
    readResponse(body, responseBody, status) {
      const samples = typeof body.n === 'number' ? body.n : 1;
      return toResult(
        responseBody as ChatCompletion,
        { samples, sendLogprobs: body.logprobs === true },
        [],
        {
          url: 'batch:/v1/chat/completions',
          requestBody: body,
          status,
          headers: {},
          responseBody,
        },
      );
    },
  };

  return {
    id: config.id,
    kind: settings.kind,
    model: config.model,
    capabilities: () => ({ ...capabilities }),
    ...(settings.batchApi
      ? {
          batch,
          // Its own client: uploads and polls take their time and are safe to retry.
          batchLabelling: createOpenAIBatchLabelling(
            new OpenAI({
              apiKey: settings.apiKey,
              baseURL: settings.baseURL,
              maxRetries: 5,
              ...(settings.fetch ? { fetch: settings.fetch } : {}),
            }),
            batch,
          ),
        }
      : {}),
    async doGenerate(options: GenerateOptions): Promise<GenerateResult> {
      const warnings: ProviderWarning[] = [];
      const { body, samples, sendLogprobs } = requestBody(options, warnings);
      const { record, fetchOptions } = recording.track();
      let completion: ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          body as unknown as ChatCompletionCreateParamsNonStreaming,
          {
            fetchOptions,
            ...(options.signal ? { signal: options.signal } : {}),
          },
        );
      } catch (error) {
        const mapped = mapOpenAIError(error, {
          record,
          url,
          requestBody: body,
          apiKey: settings.apiKey,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        // A model that refuses logprobs keeps refusing; say so in capabilities so the gateway
        // plans samples or a verbalised distribution next time instead of asking again.
        if (mapped.kind === 'logprobs-unsupported') capabilities.logprobs = false;
        throw mapped;
      }
      return toResult(completion, { samples, sendLogprobs }, warnings, {
        url: redactSecret(record.url ?? url, settings.apiKey),
        requestBody: body,
        status: record.status ?? 200,
        headers: record.headers,
        responseBody: completion,
      });
    },
  };
}

function readChoices(
  completion: ChatCompletion,
  wantLogprobs: boolean,
  warnings: ProviderWarning[],
): Choice[] {
  const rawChoices: unknown = completion.choices;
  if (!Array.isArray(rawChoices)) return [];
  let missingLogprobs = false;
  const choices = [...(rawChoices as ChatCompletion.Choice[])]
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    .map((choice): Choice => {
      const message = choice.message as ChatCompletion.Choice['message'] | undefined;
      const refusal = message?.refusal ?? undefined;
      const logprobs = wantLogprobs ? normalizeOpenAILogprobs(choice.logprobs) : undefined;
      if (wantLogprobs && logprobs === undefined) missingLogprobs = true;
      return {
        text: typeof message?.content === 'string' ? message.content : '',
        finishReason: mapOpenAIFinishReason(choice.finish_reason, refusal),
        ...(logprobs !== undefined ? { logprobs } : {}),
        ...(refusal ? { refusal } : {}),
      };
    });
  if (missingLogprobs) {
    warnings.push({
      type: 'unsupported',
      feature: 'logprobs',
      details: 'requested but not returned',
    });
  }
  return choices;
}
