/**
 * @module
 * Pure numbers from loaded runs: learning curves averaged over seeds, frames to a return
 * threshold, final return, teacher agreement and cost, per environment and method.
 */
import type { LoadedRun } from './load-runs.ts';

export interface CurvePoint {
  envId: string;
  label: string;
  frames: number;
  mean: number;
  low: number;
  high: number;
  seeds: number;
}

export interface MethodSummary {
  envId: string;
  label: string;
  seeds: number;
  /** Per seed: first frame where the smoothed return reaches the threshold, or undefined. */
  framesToThreshold: Array<number | undefined>;
  /** Mean over seeds, counting a seed that never got there as its full length (a lower bound). */
  meanFramesToThreshold: number;
  reached: number;
  /** Baseline's mean frames to threshold divided by this method's (how many times fewer frames). */
  speedup?: number;
  finalReturn: number;
  finalReturnStd: number;
  totalFrames: number;
  agreement?: number;
  teacherQueries?: number;
  upstreamCalls?: number;
  cacheHits?: number;
  tokens?: number;
  sps: number;
}

export interface SummaryOptions {
  threshold: number;
  /** Updates in the moving average the threshold is checked on. */
  smoothing: number;
  /** The label the speedup is measured against. */
  baseline: string;
  /** The metric the curves, threshold and final value use; default `charts/episodic_return`. */
  metric?: string;
}

const RETURN = 'charts/episodic_return';

/** Mean and ±1 standard deviation of the smoothed return across seeds, at each logged frame count. */
export function learningCurves(
  runs: readonly LoadedRun[],
  smoothing: number,
  metric = RETURN,
): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const [key, group] of groupBy(runs, (run) => `${run.envId}\u0000${run.label}`)) {
    const [envId, label] = key.split('\u0000') as [string, string];
    const curves = group.map((run) => smoothed(run, smoothing, metric));
    const length = Math.min(...curves.map((curve) => curve.length));
    for (let i = 0; i < length; i++) {
      const values = curves.map((curve) => curve[i]!.value);
      const mean = average(values);
      const std = Math.sqrt(average(values.map((value) => (value - mean) ** 2)));
      points.push({
        envId,
        label,
        frames: curves[0]![i]!.frames,
        mean,
        low: Math.max(0, mean - std),
        high: Math.min(1, mean + std),
        seeds: values.length,
      });
    }
  }
  return points;
}

/** One row per environment and method. */
export function summarizeRuns(
  runs: readonly LoadedRun[],
  options: SummaryOptions,
): MethodSummary[] {
  const rows: MethodSummary[] = [];
  const metric = options.metric ?? RETURN;
  for (const group of groupBy(runs, (run) => `${run.envId}\u0000${run.label}`).values()) {
    const first = group[0]!;
    const framesToThreshold = group.map(
      (run) =>
        smoothed(run, options.smoothing, metric).find((point) => point.value >= options.threshold)
          ?.frames,
    );
    const totals = group.map((run) => lastOf(run, 'global_step') ?? 0);
    const finals = group.map((run) =>
      average(
        withMetric(run, metric)
          .slice(-options.smoothing)
          .map((metrics) => metrics[metric] ?? 0),
      ),
    );
    const finalReturn = average(finals);
    const teacher = first.algorithm === 'lvlm2p' || first.algorithm === 'varl';
    rows.push({
      envId: first.envId,
      label: first.label,
      seeds: group.length,
      framesToThreshold,
      meanFramesToThreshold: average(framesToThreshold.map((frames, i) => frames ?? totals[i]!)),
      reached: framesToThreshold.filter((frames) => frames !== undefined).length,
      finalReturn,
      finalReturnStd: Math.sqrt(average(finals.map((value) => (value - finalReturn) ** 2))),
      totalFrames: average(totals),
      sps: average(group.map((run) => lastOf(run, 'charts/sps') ?? 0)),
      ...(teacher
        ? {
            agreement: average(
              group
                .map((run) => lastOf(run, 'teacher/agreement_total') ?? Number.NaN)
                .filter(Number.isFinite),
            ),
            teacherQueries: average(group.map((run) => lastOf(run, 'teacher/calls') ?? 0)),
            upstreamCalls: average(
              group.map((run) => lastOf(run, 'teacher/gateway_upstream_calls') ?? 0),
            ),
            cacheHits: average(group.map((run) => lastOf(run, 'teacher/cache_hits') ?? 0)),
            tokens: average(
              group.map(
                (run) =>
                  (lastOf(run, 'teacher/input_tokens') ?? 0) +
                  (lastOf(run, 'teacher/output_tokens') ?? 0),
              ),
            ),
          }
        : {}),
    });
  }
  for (const row of rows) {
    const baseline = rows.find(
      (other) => other.envId === row.envId && other.label === options.baseline,
    );
    if (baseline && row.label !== options.baseline && row.meanFramesToThreshold > 0) {
      row.speedup = baseline.meanFramesToThreshold / row.meanFramesToThreshold;
    }
  }
  return rows.sort((a, b) => a.envId.localeCompare(b.envId) || a.label.localeCompare(b.label));
}

/** The summary as a markdown table. */
export function formatSummaryTable(
  rows: readonly MethodSummary[],
  options: SummaryOptions,
): string {
  const metric =
    options.metric === undefined || options.metric === RETURN ? 'return' : options.metric;
  const header = `| env | method | seeds | frames to ${metric} ≥ ${options.threshold} | reached | ${options.baseline} frames ÷ method frames | final ${metric} | teacher agreement | teacher queries | upstream calls | cache hits | tokens |`;
  const lines = rows.map((row) => {
    const censored = row.reached < row.seeds ? '≥ ' : '';
    return `| ${row.envId.replace(/^MiniGrid-|-v0$/g, '')} | ${row.label} | ${row.seeds} | ${censored}${Math.round(row.meanFramesToThreshold).toLocaleString('en-US')} | ${row.reached}/${row.seeds} | ${formatSpeedup(row, rows, options.baseline)} | ${row.finalReturn.toFixed(3)} ± ${row.finalReturnStd.toFixed(3)} | ${row.agreement === undefined || Number.isNaN(row.agreement) ? '—' : `${(100 * row.agreement).toFixed(1)}%`} | ${fmt(row.teacherQueries)} | ${fmt(row.upstreamCalls)} | ${fmt(row.cacheHits)} | ${fmt(row.tokens)} |`;
  });
  return [header, `|${' --- |'.repeat(12)}`, ...lines].join('\n');
}

// A ratio of censored means is only a bound: "≥" when the baseline never got there, "≤" when the method did not.
function formatSpeedup(
  row: MethodSummary,
  rows: readonly MethodSummary[],
  baselineLabel: string,
): string {
  const baseline = rows.find((other) => other.envId === row.envId && other.label === baselineLabel);
  if (row.speedup === undefined || !baseline) return '—';
  const baselineCensored = baseline.reached < baseline.seeds;
  const methodCensored = row.reached < row.seeds;
  if (baselineCensored && methodCensored) return '—';
  return `${baselineCensored ? '≥ ' : methodCensored ? '≤ ' : ''}${row.speedup.toFixed(2)}x`;
}

function fmt(value: number | undefined): string {
  return value === undefined ? '—' : Math.round(value).toLocaleString('en-US');
}

function smoothed(
  run: LoadedRun,
  window: number,
  metric = RETURN,
): Array<{ frames: number; value: number }> {
  // Runs that log several kinds of lines (SAC: one per evaluation) are read on the metric's lines.
  const lines = withMetric(run, metric);
  const values = lines.map((metrics) => metrics[metric] ?? 0);
  return lines.map((metrics, i) => ({
    frames: metrics.global_step ?? 0,
    value: average(values.slice(Math.max(0, i - window + 1), i + 1)),
  }));
}

function withMetric(run: LoadedRun, metric: string): Array<Record<string, number | null>> {
  const lines = run.metrics.filter((metrics) => typeof metrics[metric] === 'number');
  return metric === RETURN && lines.length < run.metrics.length ? run.metrics : lines;
}

function lastOf(run: LoadedRun, key: string): number | undefined {
  for (let i = run.metrics.length - 1; i >= 0; i--) {
    const value = run.metrics[i]![key];
    if (typeof value === 'number') return value;
  }
  return undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name) ?? [];
    group.push(item);
    groups.set(name, group);
  }
  return groups;
}

function average(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
