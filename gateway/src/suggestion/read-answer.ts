import type { Actions, DistributionOptions } from '@teacher-gateway/client';
import { parseActionVector } from '../parsing/parse-action-vector.ts';
import { parseChoiceLogprobs } from '../parsing/parse-choice-logprobs.ts';
import { parseChoiceVotes } from '../parsing/parse-choice-votes.ts';
import type { ParsedDistribution, ParseResult } from '../parsing/parse-result.ts';
import { parseVerbalized } from '../parsing/parse-verbalized.ts';
import { shapeDistribution } from '../parsing/shape-distribution.ts';
import type { GenerateResult } from '../providers/provider.ts';
import type { CachedAnswer } from '../stores/cache-store.ts';
import type { MethodPlan } from './choose-method.ts';

export interface ReadAnswerInput {
  result: GenerateResult;
  plan: MethodPlan;
  actions: Actions;
  letters: string[];
  distribution: DistributionOptions;
}

export type AnswerFailure = {
  /** `refusal`, `content-filter`, `length` or `unparsable`. */
  kind: string;
  reason: string;
  rawText: string;
};

/**
 * Turns a provider's answer into what the trainer receives, or says why it cannot be used.
 * Refusals, filtered and (for JSON answers) truncated outputs are failures, so they are never cached.
 * A choice answer cut at its token limit is kept: only its first letter matters.
 */
export function readAnswer(input: ReadAnswerInput): { ok: true; answer: CachedAnswer } | { ok: false; failure: AnswerFailure } {
  const { result, plan, actions, letters, distribution } = input;
  const rawText = result.choices.map((choice) => choice.text).join('\n---\n');
  const fail = (kind: string, reason: string) => ({ ok: false as const, failure: { kind, reason, rawText } });
  const first = result.choices[0];
  if (!first) return fail('unparsable', 'the provider returned no answer');
  const blocked = result.choices.find(
    (choice) => choice.finishReason.unified === 'content-filter' || choice.finishReason.unified === 'refusal' || choice.refusal,
  );
  if (blocked && (plan.name !== 'samples' || result.choices.every((choice) => choice === blocked))) {
    const kind = blocked.finishReason.unified === 'content-filter' ? 'content-filter' : 'refusal';
    return fail(kind, blocked.refusal ?? `the provider stopped the answer (${blocked.finishReason.raw ?? kind})`);
  }
  const usage = result.usage;
  const warnings = result.warnings.map((warning) =>
    warning.type === 'unsupported' ? `unsupported: ${warning.feature}` : warning.message,
  );
  const withWarnings = (answer: CachedAnswer): CachedAnswer =>
    warnings.length > 0 ? { ...answer, warnings: [...(answer.warnings ?? []), ...warnings] } : answer;

  if (plan.name === 'vector') {
    if (actions.kind !== 'continuous') return fail('unparsable', 'vector answers need continuous actions');
    if (first.finishReason.unified === 'length') return fail('length', 'the answer was cut at its token limit');
    const parsed = parseActionVector(first.text, actions.labels, actions.low, actions.high);
    if (!parsed.ok) return fail('unparsable', parsed.reason);
    return {
      ok: true,
      answer: withWarnings({
        method: 'vector',
        vector: parsed.value.vector,
        usage,
        ...(parsed.value.clipped > 0 ? { warnings: [`${parsed.value.clipped} component(s) clipped to bounds`] } : {}),
      }),
    };
  }

  let parsed: ParseResult<ParsedDistribution>;
  if (plan.name === 'logprobs') parsed = parseChoiceLogprobs(first.logprobs, letters);
  else if (plan.name === 'samples') {
    parsed = parseChoiceVotes(result.choices.filter((choice) => choice !== blocked).map((choice) => choice.text), letters);
  } else {
    if (first.finishReason.unified === 'length') return fail('length', 'the answer was cut at its token limit');
    parsed = parseVerbalized(first.text, letters, actions.labels);
  }
  if (!parsed.ok) return fail('unparsable', parsed.reason);
  const probs = shapeDistribution(parsed.value.probs, distribution);
  if (!probs) return fail('unparsable', 'the answer puts no probability on any action');
  const notes: string[] = [];
  if (parsed.value.massOutside !== undefined && parsed.value.massOutside > 0.05) {
    notes.push(`${Math.round(parsed.value.massOutside * 100)}% of the answer's probability was outside the action letters`);
  }
  if (parsed.value.unparsedSamples) notes.push(`${parsed.value.unparsedSamples} sampled answer(s) named no action`);
  return {
    ok: true,
    answer: withWarnings({ method: plan.name, probs, usage, ...(notes.length > 0 ? { warnings: notes } : {}) }),
  };
}
