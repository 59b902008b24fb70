/**
 * @module
 * Turns an algorithm's `log(step, scalars)` calls into `metrics.jsonl` lines. PPO and LVLM2P log
 * one finished line per update, written as is. SAC and VARL log each episode and each loss
 * read as it happens; those are folded into one line per evaluation (every `evalEvery` steps):
 * `global_step`, the training episodes finished since the last line (`charts/episodic_return`,
 * which with a reward of 1 on success only is also `charts/success_rate`), the greedy evaluation
 * (`eval/*`), the latest losses and the teacher's running cost (`teacher/*`).
 */
import type { Scalars } from '../algorithms/train-dependencies.ts';

export interface MetricsLines {
  log(step: number, scalars: Scalars): void;
  /** Writes what is pending as a line at `step` (the end of a run), unless already written. */
  flush(step: number): void;
  /** The latest value of every key logged, for the progress display. */
  readonly latest: Scalars;
}

/**
 * @example
 * const lines = createMetricsLines('per-update', (line) => logger.log(line))
 * lines.log(384, { 'charts/episodic_return': 0.2 })
 */
export function createMetricsLines(
  mode: 'per-update' | 'per-evaluation',
  write: (line: Scalars) => void,
): MetricsLines {
  const latest: Scalars = {};
  if (mode === 'per-update') {
    return {
      latest,
      log(step, scalars) {
        Object.assign(latest, scalars);
        write({ global_step: step, ...scalars });
      },
      flush: () => undefined,
    };
  }
  let episodes = { count: 0, returns: 0, successes: 0, lengths: 0 };
  let pending: Scalars = {};
  let lastFlushed = -1;
  const flush = (step: number) => {
    if (step === lastFlushed) return;
    lastFlushed = step;
    const line: Scalars = { global_step: step, ...pending };
    if (episodes.count > 0) {
      line['charts/episodic_return'] = episodes.returns / episodes.count;
      line['charts/success_rate'] = episodes.successes / episodes.count;
      line['charts/episodic_length'] = episodes.lengths / episodes.count;
    }
    line['charts/episodes'] = episodes.count;
    write(line);
    episodes = { count: 0, returns: 0, successes: 0, lengths: 0 };
    pending = Object.fromEntries(
      Object.entries(pending).filter(([key]) => key.startsWith('teacher/')),
    );
  };
  return {
    latest,
    log(step, scalars) {
      if ('charts/episodic_return' in scalars) {
        episodes.count += 1;
        episodes.returns += scalars['charts/episodic_return']!;
        episodes.successes += scalars['charts/success'] ?? 0;
        episodes.lengths += scalars['charts/episodic_length'] ?? 0;
        latest['charts/episodic_return'] = scalars['charts/episodic_return']!;
        return;
      }
      Object.assign(pending, scalars);
      Object.assign(latest, scalars);
      if ('eval/success_rate' in scalars) flush(step);
    },
    flush,
  };
}
