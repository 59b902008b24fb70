/** What every parser returns: model output is untrusted, so failure is a value, not an exception. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A discrete distribution read from a model answer. */
export interface ParsedDistribution {
  probs: number[];
  /** Probability mass the model put outside the action set (logprobs only). */
  massOutside?: number;
  /** Sampled answers that named no action (samples only). */
  unparsedSamples?: number;
}
