/**
 * @module
 * The provider spec: what every VLM adapter (OpenAI, Gemini, OpenAI-compatible servers) implements.
 * Adapters translate at this border and keep the provider's raw value beside the normalised one;
 * prompts, actions, caching and HTTP stay outside.
 */

/** One part of a chat message. Images travel as bytes plus media type; adapters pick the wire form. */
export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaType: string; data: Uint8Array; sha256: string };

export interface Message {
  role: 'system' | 'user';
  parts: MessagePart[];
}

/** What the gateway asks of a provider for one upstream call. */
export interface GenerateOptions {
  messages: Message[];
  maxOutputTokens: number;
  /** Sampling temperature sent upstream. */
  temperature: number;
  /** Number of sampled answers (OpenAI `n`, Gemini `candidateCount`). */
  samples: number;
  /** Ask for token log-probabilities with this many alternatives per position (0 = none). */
  topLogprobs: number;
  /** Restrict the answer to one of these strings where the server supports it (vLLM `guided_choice`). */
  guidedChoice?: string[];
  /** Ask for a JSON object answer where the provider supports a JSON mode. */
  json?: boolean;
  seed?: number;
  signal?: AbortSignal;
}

export type FinishReason = {
  unified: 'stop' | 'length' | 'content-filter' | 'refusal' | 'error' | 'other';
  raw: string | undefined;
};

/** A candidate token at one position, normalised across providers. */
export interface TokenCandidate {
  token: string;
  logprob: number;
}

/** The chosen token at one answer position and the alternatives the provider reported. */
export interface TokenLogprob extends TokenCandidate {
  top: TokenCandidate[];
}

export interface Choice {
  text: string;
  finishReason: FinishReason;
  /** Present when log-probabilities were requested and returned. */
  logprobs?: TokenLogprob[];
  /** A refusal message when the provider reports one separately from the text. */
  refusal?: string;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type ProviderWarning =
  | { type: 'unsupported'; feature: string; details?: string }
  | { type: 'other'; message: string };

/** The exchange as it crossed the wire, for the audit log. Secrets are never put here. */
export interface RawExchange {
  url: string;
  requestBody: unknown;
  status: number;
  headers: Record<string, string>;
  responseBody: unknown;
}

export interface GenerateResult {
  choices: Choice[];
  usage: Usage;
  warnings: ProviderWarning[];
  raw: RawExchange;
}

/** What a provider can do right now. It may change at runtime (e.g. Gemini refusing logprobs for a model). */
export interface ProviderCapabilities {
  logprobs: boolean;
  maxTopLogprobs: number;
  /** More than one sample per call. */
  samples: boolean;
  maxSamples: number;
  images: boolean;
  guidedChoice: boolean;
}

export interface VisionLanguageModel {
  /** The provider id from the config, e.g. `openai-mini`. */
  readonly id: string;
  /** The adapter kind: `openai`, `gemini` or `openai-compatible`. */
  readonly kind: string;
  readonly model: string;
  capabilities(): ProviderCapabilities;
  /**
   * One upstream call, no retries (the gateway schedules those so every attempt is audited).
   * Resolves with the normalised answer or rejects with a {@link ProviderCallError}.
   * The `do` prefix keeps callers from using it in place of the gateway's scheduled call.
   */
  doGenerate(options: GenerateOptions): Promise<GenerateResult>;
  /** Present when the provider has a batch API taking the same request bodies (OpenAI's Batch API). */
  readonly batch?: BatchCodec;
  /** Present when the provider can label many calls as one asynchronous job (OpenAI's Batch API). */
  readonly batchLabelling?: BatchLabelling;
}

/** Translates one call to and from a batch API's JSONL lines, as `doGenerate` does on the wire. */
export interface BatchCodec {
  /** The `url` of each batch line, e.g. `/v1/chat/completions`. */
  readonly endpoint: string;
  requestBody(options: GenerateOptions): Record<string, unknown>;
  /** Normalises a line's successful response body; `requestBody` is the body the line sent. */
  readResponse(requestBody: Record<string, unknown>, responseBody: unknown, status: number): GenerateResult;
}

export type ProviderErrorKind =
  | 'rate-limited' // throttled; waiting helps
  | 'quota-exhausted' // per-day quota or insufficient_quota; waiting minutes does not help
  | 'unauthorized'
  | 'invalid-request'
  | 'logprobs-unsupported'
  | 'overloaded' // 5xx, 503 queue full
  | 'timeout'
  | 'network'
  | 'other';

export interface ProviderCallErrorOptions {
  kind: ProviderErrorKind;
  message: string;
  status?: number;
  retryable: boolean;
  /** The delay the provider asked for, from retry-after-ms, retry-after or Gemini's RetryInfo. */
  retryAfterMs?: number;
  raw?: Partial<RawExchange>;
}

/** A failed upstream call, classified. The message never carries a secret. */
export class ProviderCallError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly raw: Partial<RawExchange> | undefined;

  constructor(options: ProviderCallErrorOptions) {
    super(options.message);
    this.name = 'ProviderCallError';
    this.kind = options.kind;
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.raw = options.raw;
  }
}

/**
 * A provider's batch job API, for offline labelling: many calls submitted at once, answered within
 * hours at a lower price. The adapter drives its SDK and reads its error bodies; callers keep only
 * ids, so a job outlives the process that submitted it.
 */
export interface BatchLabelling {
  /** Calls one job takes at most. */
  readonly maxCalls: number;
  submit(calls: { customId: string; options: GenerateOptions }[]): Promise<{ id: string; inputFileId: string; status: string }>;
  status(batchId: string): Promise<{ status: string; done: boolean; failure?: string }>;
  /**
   * The answers of a finished job, each normalised as `doGenerate` would. `optionsFor` gives a
   * line's call options (for the raw exchange); lines it does not know are skipped.
   */
  results(batchId: string, optionsFor: (customId: string) => GenerateOptions | undefined): Promise<BatchAnswer[]>;
}

export type BatchAnswer =
  | { customId: string; ok: true; result: GenerateResult }
  | { customId: string; ok: false; error: string };
