import type { GridPictureReadResult } from '../../envs/grid-world/rendering/read-grid-picture.ts';
import { buildChatCompletion } from './build-chat-completion.ts';
import type { CompletionChoice } from './build-chat-completion.ts';
import { composeAnswer, composeMalformedAnswer, composeRefusal } from './compose-answer.ts';
import type { Answer, AnswerSettings } from './compose-answer.ts';
import { judgeObservation } from './judge-observation.ts';
import { readChatPrompt } from './read-chat-prompt.ts';
import { readAnswerFormat, readObservationTask } from './read-observation-prompt.ts';
import type { ResolvedOptions } from './simulated-vlm-options.ts';

export interface SimulatedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ServerState {
  options: ResolvedOptions;
  random: () => number;
  requests: number;
  readPicture?: (url: string) => GridPictureReadResult;
}

const MAX_N = 128;

function openAIError(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | null,
  headers: Record<string, string> = {},
): SimulatedResponse {
  return { status, headers, body: { error: { message, type, param, code } } };
}

/** Tokens an image costs in OpenAI's accounting (85 base + 170 per 512 px tile). */
function imageTokens(url: string): number {
  const bytes = Math.floor((url.length * 3) / 4);
  return 85 + 170 * Math.max(1, Math.ceil(bytes / 200_000));
}

/**
 * One `POST /v1/chat/completions`, answered as OpenAI would: validation errors, the 429 and
 * refusal knobs, then `n` sampled answers with token logprobs and usage.
 */
export async function handleChatRequest(
  rawBody: string,
  state: ServerState,
): Promise<SimulatedResponse> {
  const { options, random } = state;
  const requestId = `req_sim_${(++state.requests).toString(16).padStart(8, '0')}`;
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    return openAIError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
      'invalid_request_error',
      null,
      null,
    );
  }
  if (typeof body['model'] === 'string' && body['model'] !== options.model) {
    return openAIError(
      404,
      `The model \`${body['model']}\` does not exist or you do not have access to it.`,
      'invalid_request_error',
      null,
      'model_not_found',
    );
  }
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0) {
    return openAIError(
      400,
      "Missing required parameter: 'messages'.",
      'invalid_request_error',
      'messages',
      'missing_required_parameter',
    );
  }
  if (body['stream'] === true) {
    return openAIError(
      400,
      'Streaming is not supported by the simulated VLM.',
      'invalid_request_error',
      'stream',
      'unsupported_value',
    );
  }
  const n = body['n'] ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_N) {
    return openAIError(
      400,
      `Invalid 'n': expected an integer between 1 and ${MAX_N}.`,
      'invalid_request_error',
      'n',
      'integer_out_of_range',
    );
  }
  const logprobs = body['logprobs'] === true;
  const topLogprobs = body['top_logprobs'];
  if (topLogprobs !== undefined && topLogprobs !== null) {
    if (
      typeof topLogprobs !== 'number' ||
      !Number.isInteger(topLogprobs) ||
      topLogprobs < 0 ||
      topLogprobs > 20
    ) {
      return openAIError(
        400,
        "Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20.",
        'invalid_request_error',
        'top_logprobs',
        'integer_above_max_value',
      );
    }
    if (!logprobs) {
      return openAIError(
        400,
        "Invalid value for 'top_logprobs': 'logprobs' must be set to true.",
        'invalid_request_error',
        'top_logprobs',
        'invalid_value',
      );
    }
  }
  const temperature =
    typeof body['temperature'] === 'number' ? body['temperature'] : options.temperature;
  if (!(temperature >= 0 && temperature <= 2)) {
    return openAIError(
      400,
      "Invalid 'temperature': expected a number between 0 and 2.",
      'invalid_request_error',
      'temperature',
      'decimal_out_of_range',
    );
  }
  const maxTokensValue = body['max_completion_tokens'] ?? body['max_tokens'];
  const maxTokens =
    typeof maxTokensValue === 'number' && maxTokensValue > 0
      ? Math.floor(maxTokensValue)
      : undefined;

  if (random() < options.rateLimitRate) {
    const wait = options.retryAfterSeconds;
    return openAIError(
      429,
      `Rate limit reached for ${options.model} in organization org-simulated on requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again in ${wait}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      'requests',
      null,
      'rate_limit_exceeded',
      {
        'retry-after': String(Math.ceil(wait)),
        'retry-after-ms': String(Math.round(wait * 1000)),
        'x-should-retry': 'true',
        'x-ratelimit-limit-requests': '60',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': `${wait}s`,
        'x-request-id': requestId,
      },
    );
  }

  const started = options.now();
  if (options.latencyMs > 0) await options.sleep(options.latencyMs);

  const prompt = readChatPrompt(messages);
  const responseFormat = body['response_format'] as { type?: unknown } | undefined;
  const format = readAnswerFormat(
    prompt.userText,
    responseFormat?.type === 'json_object' || responseFormat?.type === 'json_schema',
  );
  const tasks = prompt.observations.map((obs) => readObservationTask(obs.text, prompt.userText));
  // vLLM's guided_choice limits the answer to the listed strings: keep only those actions.
  const guided = body['guided_choice'];
  if (Array.isArray(guided) && guided.length > 0) {
    const allowed = new Set(guided.map(String));
    for (const task of tasks) {
      const kept = task.actions.filter((a) => allowed.has(a.letter));
      if (kept.length > 0) task.actions = kept;
    }
  }
  const refused = random() < options.refusal;
  const judgements =
    format === 'json-vector'
      ? []
      : prompt.observations.map((obs, i) =>
          judgeObservation(obs, tasks[i]!, {
            accuracy: options.accuracy,
            misreadFacing: options.misreadFacing,
            random,
            ...(options.profile ? { profile: options.profile, seed: options.seed } : {}),
            actionSet: options.actionSet,
            ...(state.readPicture ? { readPicture: state.readPicture } : {}),
          }),
        );
  const firstTask = tasks[0]!;
  const advice =
    format === 'json-vector'
      ? options.vectorAdvisor({
          task: firstTask.mission,
          imageUrl: prompt.observations[0]?.imageUrls[0],
          components: firstTask.components,
          accuracy: options.accuracy,
          random,
          ...(options.profile ? { profile: options.profile, seed: options.seed } : {}),
        })
      : null;
  const settings: AnswerSettings = {
    format,
    temperature,
    topK: typeof topLogprobs === 'number' ? topLogprobs : 0,
    maxTokens,
    random,
  };
  const unanswerable =
    format === 'json-vector'
      ? firstTask.components.length === 0 || advice?.malformed === true
      : judgements.some((j) => j.probabilities.length === 0 || j.malformed === true);

  const choices = Array.from({ length: n }, (): CompletionChoice => {
    let answer: Answer;
    if (refused) answer = composeRefusal(settings);
    else if (unanswerable || random() < options.malformed)
      answer = composeMalformedAnswer(settings);
    else answer = composeAnswer(judgements, tasks, advice, settings);
    const text = answer.tokens.map((t) => t.token).join('');
    return {
      content: refused ? null : text,
      refusal: refused ? text : null,
      tokens: answer.tokens,
      finishReason: answer.finishReason,
    };
  });

  const promptText = `${prompt.system}\n${prompt.userText}`;
  const promptTokens =
    Math.ceil(promptText.length / 4) +
    prompt.observations.flatMap((o) => o.imageUrls).reduce((sum, url) => sum + imageTokens(url), 0);
  const completionTokens = choices.reduce((sum, c) => sum + c.tokens.length, 0);
  const notes = [
    ...new Set(judgements.map((j) => j.reason).filter((r): r is string => r !== undefined)),
  ];
  return {
    status: 200,
    headers: {
      'x-request-id': requestId,
      'openai-model': options.model,
      'openai-processing-ms': String(Math.max(0, Math.round(options.now() - started))),
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6ms',
      // Not an OpenAI header: why the simulated teacher was unsure, for people reading logs.
      ...(notes.length > 0
        ? {
            'x-simulated-vlm-note': notes
              .join('; ')
              .replace(/[^\x20-\x7e]/g, '?')
              .slice(0, 500),
          }
        : {}),
    },
    body: buildChatCompletion({
      dialect: 'openai',
      id: `chatcmpl-sim${state.requests.toString(36).padStart(6, '0')}`,
      created: Math.floor(options.now() / 1000),
      model: options.model,
      choices,
      logprobs,
      topLogprobs: settings.topK,
      promptTokens,
      completionTokens,
      systemFingerprint: 'fp_simulated',
    }),
  };
}
