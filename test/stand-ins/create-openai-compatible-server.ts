import type { CompletionChoice } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/build-chat-completion';
import { deriveDefaultAnswer } from './derive-default-answer.ts';
import { readChatPrompt } from './read-chat-prompt.ts';
import type { ChatPrompt } from './read-chat-prompt.ts';
import { startStandInServer } from './start-stand-in-server.ts';
import type {
  RecordedCall,
  ScriptedAnswer,
  ScriptedToken,
  StandInContext,
  StandInReply,
  StandInServer,
} from './start-stand-in-server.ts';

/** Scenarios that shape a successful completion rather than fail the request; servers name those they have. */
export type AnswerScenario = 'truncated' | 'no-logprobs' | 'content-filter' | 'refusal';

/** One choice of a completion; each server renders it with the trainer's `buildChatCompletion`. */
export interface ChatChoice extends CompletionChoice {
  tokens: ScriptedToken[];
}

/** A completion as every OpenAI-compatible server computes it; each renders it its own way. */
export interface ChatCompletion {
  body: Record<string, unknown>;
  prompt: ChatPrompt;
  model: string;
  choices: ChatChoice[];
  /** The request asked for logprobs and the server gives them (not under `no-logprobs`). */
  logprobs: boolean;
  /** `top_logprobs` as asked (0 when absent). */
  topLogprobs: number;
  completionTokens: number;
}

export interface CompletionOptions {
  /** OpenAI and vLLM answer `n` choices; Ollama ignores `n` and answers one. */
  honoursN: boolean;
  /** vLLM's `guided_choice`: the answer is always one of the listed strings. */
  guidedChoice?: boolean;
}

/**
 * Computes the completion of a chat request: the scripted answer (`respondWith`) or the default
 * derived from the prompt, per choice, shaped by the queued answer scenario.
 */
export function completeChat(
  context: StandInContext<string>,
  options: CompletionOptions,
): ChatCompletion {
  const body = (context.call.body ?? {}) as Record<string, unknown>;
  const prompt = readChatPrompt(body);
  const n = options.honoursN && typeof body.n === 'number' ? body.n : 1;
  const topLogprobs = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
  const json = (body.response_format as { type?: unknown } | undefined)?.type === 'json_object';
  const guided =
    options.guidedChoice && Array.isArray(body.guided_choice)
      ? body.guided_choice.filter((item): item is string => typeof item === 'string')
      : undefined;
  const scenario = context.scenario as AnswerScenario | undefined;
  let completionTokens = 0;
  const choices = Array.from({ length: n }, (_, index): ChatChoice => {
    const fallback = () =>
      deriveDefaultAnswer({
        prompt: prompt.text,
        json: json && !guided,
        ...(guided ? { choices: guided } : {}),
        topLogprobs: Math.max(topLogprobs, 1),
        sampleIndex: index,
        samples: n,
      });
    let answer: ScriptedAnswer = context.answer?.(body, index) ?? fallback();
    // A grammar makes any other output impossible.
    if (guided && guided.length > 0 && !guided.includes(answer.text)) answer = fallback();
    const choice: ChatChoice = {
      content: answer.text,
      refusal: null,
      tokens: answer.logprobs ?? [{ token: answer.text, logprob: -0.01, top: [] }],
      finishReason: answer.finishReason ?? 'stop',
    };
    if (scenario === 'truncated') {
      choice.tokens = choice.tokens.slice(0, 1);
      choice.content = choice.tokens.map((token) => token.token).join('');
      choice.finishReason = 'length';
    } else if (scenario === 'content-filter') {
      choice.content = '';
      choice.tokens = [];
      choice.finishReason = 'content_filter';
    } else if (scenario === 'refusal') {
      choice.content = null;
      choice.refusal = "I'm sorry, but I can't help with that.";
      choice.tokens = [];
    }
    completionTokens += Math.max(1, choice.tokens.length);
    return choice;
  });
  return {
    body,
    prompt,
    model: typeof body.model === 'string' ? body.model : 'unknown',
    choices,
    logprobs: body.logprobs === true && scenario !== 'no-logprobs',
    topLogprobs,
    completionTokens,
  };
}

export interface OpenAICompatibleServerOptions<Scenario extends string> extends CompletionOptions {
  /** The stand-in's own options: answer latency, overload threshold, port. */
  listen: { latencyMs?: number; maxConcurrency?: number; port?: number };
  /** The server's own answer to a method or path it does not serve. */
  notFound(call: RecordedCall): StandInReply;
  /** Other routes the server serves (OpenAI's Batch API); undefined passes to chat completions. */
  route?(context: StandInContext<Scenario>): StandInReply | undefined;
  /** Auth, overload, queued failures and request validation: a reply here ends the request. */
  screen(context: StandInContext<Scenario>): StandInReply | undefined;
  /** The server's success body for a completion. */
  render(completion: ChatCompletion, context: StandInContext<Scenario>): StandInReply;
}

/**
 * The setup every OpenAI-compatible stand-in shares (OpenAI, vLLM, Ollama): `url` ends in /v1,
 * POST /v1/chat/completions is screened, completed and rendered; what differs (errors, limits,
 * body fields) is the server file's business.
 */
export function startOpenAICompatibleServer<Scenario extends string>(
  options: OpenAICompatibleServerOptions<Scenario>,
): Promise<StandInServer<Scenario>> {
  const { latencyMs, maxConcurrency, port } = options.listen;
  return startStandInServer<Scenario>({
    basePath: '/v1',
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
    ...(port !== undefined ? { port } : {}),
    handle(context) {
      const routed = options.route?.(context);
      if (routed) return routed;
      const { call } = context;
      if (call.method !== 'POST' || call.path !== '/v1/chat/completions')
        return options.notFound(call);
      return options.screen(context) ?? options.render(completeChat(context, options), context);
    },
  });
}
