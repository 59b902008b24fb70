import type { Suggestion, Teacher } from '@teacher-gateway/client';
import { ACTION_LABELS } from '../envs/grid-world/action.ts';
import { calibration } from './calibration.ts';
import type { ReliabilityBin } from './calibration.ts';
import type { TeacherState } from './sample-teacher-states.ts';

export interface GatewayTotals {
  upstreamCalls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface TeacherEvalResult {
  states: number;
  /** Share of states whose top action is the planner's; malformed answers count as wrong. */
  agreement: number;
  /** The same over the states the teacher answered. */
  agreementAnswered: number;
  /** Mean probability on the planner's action (0 for unanswered states). */
  massOnPlanner: number;
  /** Expected calibration error of the top probability against agreement (answered states). */
  ece: number;
  /** Mean top probability (answered states). */
  meanConfidence: number;
  /** Share of states with no usable distribution (unparseable answer, error). */
  malformedRate: number;
  agreementBySource: { random: number; planner: number };
  queries: number;
  upstreamCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** In the currency of the prices given; 0 when none were. */
  cost: number;
  bins: ReliabilityBin[];
  /** The first distinct error messages, for a reader wondering what "malformed" was. */
  errors: string[];
}

export interface EvaluateTeacherOptions {
  /** The action labels the teacher was asked about (7 MiniGrid actions, or a 3-move subset). */
  labels?: readonly string[];
  /** Gateway totals (`GET /v1/cache/stats`), read before and after, for upstream calls and tokens. */
  totals?: () => Promise<GatewayTotals>;
  /** Price per million input / output tokens. */
  pricePerMillion?: { input: number; output: number };
  /** Questions in flight at once (the client batches what is in flight). Default 64. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * Asks the teacher about every state and scores its answers against the planner: agreement,
 * calibration, mass on the planner's action, malformed share, and what it cost.
 *
 * @example
 * const result = await evaluateTeacher(sampleTeacherStates({ envId, count: 200, seed: 1 }), teacher)
 */
export async function evaluateTeacher(
  states: readonly TeacherState[],
  teacher: Pick<Teacher, 'suggest'>,
  options: EvaluateTeacherOptions = {},
): Promise<TeacherEvalResult> {
  const labels = options.labels ?? ACTION_LABELS;
  const before = options.totals ? await options.totals() : undefined;
  const answers: (Suggestion | Error)[] = new Array(states.length);
  const concurrency = options.concurrency ?? 64;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < states.length) {
      const index = next++;
      const state = states[index]!;
      try {
        answers[index] = await teacher.suggest({ image: state.png, text: state.mission });
      } catch (error) {
        answers[index] = error instanceof Error ? error : new Error(String(error));
      }
      options.onProgress?.(++done, states.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, states.length) }, worker));
  const after = options.totals ? await options.totals() : undefined;

  let agreements = 0;
  let mass = 0;
  const scored: { confidence: number; correct: boolean }[] = [];
  const bySource = { random: { n: 0, agree: 0 }, planner: { n: 0, agree: 0 } };
  const errors = new Set<string>();
  let inputTokens = 0;
  let outputTokens = 0;
  states.forEach((state, i) => {
    const answer = answers[i]!;
    // The planner's action as an index into the labels asked about (-1: not offered).
    const target = labels.indexOf(ACTION_LABELS[state.plannerAction]!);
    bySource[state.source].n += 1;
    if (answer instanceof Error || !answer.probs || answer.probs.length !== labels.length) {
      if (errors.size < 5)
        errors.add(answer instanceof Error ? answer.message : `no distribution (${answer.method})`);
      return;
    }
    inputTokens += answer.cache === 'miss' ? answer.usage.inputTokens : 0;
    outputTokens += answer.cache === 'miss' ? answer.usage.outputTokens : 0;
    const top = argMax(answer.probs);
    const correct = top === target;
    if (correct) {
      agreements += 1;
      bySource[state.source].agree += 1;
    }
    mass += target >= 0 ? answer.probs[target]! : 0;
    scored.push({ confidence: answer.probs[top]!, correct });
  });
  const { ece, bins } = calibration(scored);
  const n = Math.max(1, states.length);
  const upstreamCalls =
    before && after
      ? after.upstreamCalls - before.upstreamCalls
      : answers.reduce((sum, a) => sum + (a instanceof Error ? 0 : a.usage.upstreamCalls), 0);
  if (before && after) {
    inputTokens = after.inputTokens - before.inputTokens;
    outputTokens = after.outputTokens - before.outputTokens;
  }
  const price = options.pricePerMillion ?? { input: 0, output: 0 };
  return {
    states: states.length,
    agreement: agreements / n,
    agreementAnswered: scored.length > 0 ? agreements / scored.length : 0,
    massOnPlanner: mass / n,
    ece,
    meanConfidence:
      scored.length > 0 ? scored.reduce((s, a) => s + a.confidence, 0) / scored.length : 0,
    malformedRate: (states.length - scored.length) / n,
    agreementBySource: {
      random: bySource.random.n > 0 ? bySource.random.agree / bySource.random.n : 0,
      planner: bySource.planner.n > 0 ? bySource.planner.agree / bySource.planner.n : 0,
    },
    queries: states.length,
    upstreamCalls,
    inputTokens,
    outputTokens,
    cost: (inputTokens * price.input + outputTokens * price.output) / 1e6,
    bins,
    errors: [...errors],
  };
}
