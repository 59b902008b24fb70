/**
 * @module
 * Offline labelling: answers a file of observations ahead of training and writes every answer into
 * the cache under the key a live request would compute, so a later run or replay hits it. Providers
 * with a batch API (OpenAI: half price, 24 h window) get one JSONL upload per batch; the others get
 * plain concurrent calls through the live pipeline. What was submitted is kept in a state file, so a
 * rerun after an interruption polls the batch it left rather than paying for it twice.
 */
import { z } from 'zod';
import type { BatchAnswer, BatchLabelling } from '../providers/provider.ts';
import type { LabelPlan, SuggestionService } from '../suggestion/create-suggestion-service.ts';
import type { SuggestionRequest } from '@teacher-gateway/client';
import { parseSuggestionRequest } from '../suggestion/parse-suggestion-request.ts';

export const LabelStateSchema = z
  .object({
    version: z.literal(1),
    batches: z.array(
      z
        .object({
          id: z.string(),
          inputFileId: z.string(),
          customIds: z.array(z.string()),
          status: z.string(),
          /** Its output has been read into the cache; a rerun leaves it alone. */
          processed: z.boolean(),
        })
        .strict(),
    ),
    /** Slots answered and cached, by custom_id. */
    done: z.array(z.string()),
  })
  .strict();
export type LabelState = z.infer<typeof LabelStateSchema>;

export interface LabelResult {
  /** 1-based input line number. */
  line: number;
  customId?: string;
  cacheKey?: string;
  status: 'cached' | 'labelled' | 'failed';
  action?: number;
  probs?: number[];
  error?: string;
}

export type LabelEvent =
  | { type: 'submitted'; batchId: string; requests: number }
  | { type: 'polled'; batchId: string; status: string }
  | { type: 'resumed'; batchId: string };

export interface LabelOptions {
  service: SuggestionService;
  /** The input file's lines, unparsed. */
  lines: string[];
  /** Filled into lines that leave them out; a line without `observation` is the observation itself. */
  defaults: { template?: string; provider?: string; actions?: string[] };
  /** Plain calls even for providers with a batch API (`--no-batch`). */
  noBatch?: boolean;
  state: { load(): LabelState | undefined; save(state: LabelState): void };
  output: (result: LabelResult) => void;
  progress?: (event: LabelEvent) => void;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  pollIntervalMs: number;
  /** Plain calls in flight at once (the provider's scheduler paces them further). */
  concurrency: number;
  maxBatchRequests?: number;
  signal?: AbortSignal;
}

export interface LabelSummary {
  lines: number;
  cached: number;
  labelled: number;
  failed: number;
  batches: string[];
}

interface Slot {
  customId: string;
  plan: LabelPlan;
  lines: number[];
}

/**
 * @example
 * await label({ service, lines, defaults: { template: 'minigrid-lvlm2p' }, state, output, ... })
 */
export async function label(options: LabelOptions): Promise<LabelSummary> {
  const summary: LabelSummary = { lines: 0, cached: 0, labelled: 0, failed: 0, batches: [] };
  const emit = (result: LabelResult) => {
    summary[result.status] += 1;
    options.output(result);
  };
  const requests = options.lines
    .map((text, index) => ({ text, line: index + 1 }))
    .filter(({ text }) => text.trim() !== '')
    .map(({ text, line }) => ({ line, request: toRequest(text, options.defaults) }));
  summary.lines = requests.length;

  const slots = new Map<string, Slot>();
  const plain: { line: number; request: SuggestionRequest }[] = [];
  for (const { line, request } of requests) {
    if (!request.ok) {
      emit({ line, status: 'failed', error: request.error });
      continue;
    }
    const parsed = parseSuggestionRequest(request.value);
    if (!parsed.ok) {
      emit({ line, status: 'failed', error: parsed.error.message });
      continue;
    }
    let plan: LabelPlan;
    try {
      plan = await options.service.planLabel(parsed.request);
    } catch (error) {
      emit({ line, status: 'failed', error: messageOf(error) });
      continue;
    }
    if (!plan.model.batchLabelling || options.noBatch) {
      plain.push({ line, request: parsed.request });
      continue;
    }
    const customId = `${plan.key}:${plan.sample}`;
    const slot = slots.get(customId) ?? { customId, plan, lines: [] };
    slot.lines.push(line);
    slots.set(customId, slot);
  }

  const state = options.state.load() ?? { version: 1, batches: [], done: [] };
  if (slots.size > 0) await labelThroughBatches([...slots.values()], state, summary, emit, options);
  await labelThroughCalls(plain, state, emit, options);
  return summary;
}

async function labelThroughBatches(
  slots: Slot[],
  state: LabelState,
  summary: LabelSummary,
  emit: (result: LabelResult) => void,
  options: LabelOptions,
): Promise<void> {
  const byId = new Map(slots.map((slot) => [slot.customId, slot]));
  const waiting = new Set(
    state.batches.filter((batch) => !batch.processed).flatMap((batch) => batch.customIds),
  );
  // Each provider's slots go to its own batch API, in jobs of at most its size.
  const fresh = new Map<BatchLabelling, Slot[]>();
  for (const slot of slots) {
    if (slot.plan.cached) {
      for (const line of slot.lines)
        emit({ line, customId: slot.customId, cacheKey: slot.plan.key, status: 'cached' });
    } else if (!waiting.has(slot.customId)) {
      const labelling = slot.plan.model.batchLabelling as BatchLabelling;
      const queued = fresh.get(labelling);
      if (queued) queued.push(slot);
      else fresh.set(labelling, [slot]);
    }
  }
  for (const batch of state.batches.filter((entry) => !entry.processed)) {
    options.progress?.({ type: 'resumed', batchId: batch.id });
  }

  for (const [labelling, pending] of fresh) {
    const perBatch = Math.min(options.maxBatchRequests ?? labelling.maxCalls, labelling.maxCalls);
    for (let start = 0; start < pending.length; start += perBatch) {
      const chunk = pending.slice(start, start + perBatch);
      const job = await labelling.submit(
        chunk.map((slot) => ({ customId: slot.customId, options: slot.plan.options })),
      );
      // Saved before anything else can fail, so an interruption from here on never pays twice.
      state.batches.push({
        id: job.id,
        inputFileId: job.inputFileId,
        customIds: chunk.map((slot) => slot.customId),
        status: job.status,
        processed: false,
      });
      options.state.save(state);
      options.progress?.({ type: 'submitted', batchId: job.id, requests: chunk.length });
    }
  }

  for (const entry of state.batches.filter((batch) => !batch.processed)) {
    // A job is polled through the provider of the lines it holds; one with none of this run's
    // lines is left for the run that has them.
    const owner = entry.customIds.map((id) => byId.get(id)).find((slot) => slot !== undefined);
    const labelling = owner?.plan.model.batchLabelling;
    if (!labelling) continue;
    summary.batches.push(entry.id);
    let status = await labelling.status(entry.id);
    while (!status.done) {
      if (status.status !== entry.status) {
        entry.status = status.status;
        options.state.save(state);
      }
      options.progress?.({ type: 'polled', batchId: entry.id, status: status.status });
      await options.sleep(options.pollIntervalMs, options.signal);
      status = await labelling.status(entry.id);
    }
    entry.status = status.status;
    const answers = await labelling.results(entry.id, (id) => byId.get(id)?.plan.options);
    // Stored together, so the answers share commits; each is marked done only once durable.
    const outcomes = await Promise.all(answers.map((answer) => store(byId.get(answer.customId) as Slot, answer)));
    const answered = new Set<string>();
    for (const [index, answer] of answers.entries()) {
      const slot = byId.get(answer.customId) as Slot;
      const outcome = outcomes[index] as Awaited<ReturnType<typeof store>>;
      answered.add(slot.customId);
      if (outcome.ok) state.done.push(slot.customId);
      for (const number of slot.lines) {
        emit(
          outcome.ok
            ? {
                line: number,
                customId: slot.customId,
                cacheKey: slot.plan.key,
                status: 'labelled',
                ...(outcome.probs ? { probs: outcome.probs, action: argmax(outcome.probs) } : {}),
              }
            : {
                line: number,
                customId: slot.customId,
                cacheKey: slot.plan.key,
                status: 'failed',
                error: outcome.error,
              },
        );
      }
    }
    // Lines an expired, cancelled or failed batch never answered stay uncached: the next run resubmits them.
    for (const customId of entry.customIds) {
      const slot = byId.get(customId);
      if (answered.has(customId) || !slot) continue;
      const reason = status.failure ?? `batch ${entry.id} ended ${status.status} without answering it`;
      for (const number of slot.lines)
        emit({ line: number, customId, cacheKey: slot.plan.key, status: 'failed', error: reason });
    }
    entry.processed = true;
    options.state.save(state);
  }
}

async function store(
  slot: Slot,
  answer: BatchAnswer,
): Promise<{ ok: true; probs: number[] | undefined } | { ok: false; error: string }> {
  if (!answer.ok) return answer;
  const stored = await slot.plan.store(answer.result);
  return stored.ok
    ? { ok: true, probs: stored.entry.answer.probs }
    : { ok: false, error: stored.reason };
}

async function labelThroughCalls(
  items: { line: number; request: SuggestionRequest }[],
  state: LabelState,
  emit: (result: LabelResult) => void,
  options: LabelOptions,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options.signal?.aborted) {
      const item = items[next] as (typeof items)[number];
      next += 1;
      try {
        const suggestion = await options.service.suggest({ ok: true, request: item.request }, {
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const customId = `${suggestion.cacheKey}:0`;
        if (suggestion.cache !== 'hit') state.done.push(customId);
        emit({
          line: item.line,
          cacheKey: suggestion.cacheKey,
          status:
            suggestion.cache === 'hit' || suggestion.cache === 'coalesced' ? 'cached' : 'labelled',
          ...(suggestion.probs ? { probs: suggestion.probs } : {}),
          ...(suggestion.action !== undefined ? { action: suggestion.action } : {}),
        });
      } catch (error) {
        emit({ line: item.line, status: 'failed', error: messageOf(error) });
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker),
  );
  if (items.length > 0) options.state.save(state);
}

function toRequest(
  text: string,
  defaults: LabelOptions['defaults'],
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not a JSON line' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      error: 'a line must be a JSON object: a suggestion request or an observation',
    };
  }
  const line = parsed as Record<string, unknown>;
  const request = 'observation' in line ? line : { observation: line };
  return {
    ok: true,
    value: {
      ...(defaults.template !== undefined ? { template: defaults.template } : {}),
      ...(defaults.provider !== undefined ? { provider: defaults.provider } : {}),
      ...(defaults.actions !== undefined
        ? { actions: { kind: 'discrete', labels: defaults.actions } }
        : {}),
      ...request,
    },
  };
}

function argmax(values: number[]): number {
  let best = 0;
  values.forEach((value, index) => {
    if (value > (values[best] ?? -Infinity)) best = index;
  });
  return best;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
