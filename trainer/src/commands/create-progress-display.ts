/**
 * @module
 * A training run's progress: a cli-progress bar on a terminal, otherwise a log line about every
 * 10% of the run. It shows the latest scalars the run logged (speed, return, greedy evaluation,
 * teacher calls), whichever the algorithm has.
 */
import cliProgress from 'cli-progress';
import type { Scalars, TrainProgress } from '../algorithms/train-dependencies.ts';

export interface ProgressDisplay {
  update(progress: TrainProgress): void;
  stop(): void;
}

export interface ProgressDisplayOptions {
  runName: string;
  /** `bar` on a terminal, `lines` otherwise, `none` with `--quiet`. */
  mode: 'bar' | 'lines' | 'none';
  /** The run's latest scalars (read at each update). */
  latest: Scalars;
}

export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  const { runName, mode, latest } = options;
  if (mode === 'none') return { update: () => undefined, stop: () => undefined };
  const summary = () => {
    const parts = [`${Math.round(latest['charts/sps'] ?? 0)} steps/s`];
    if (latest['charts/episodic_return'] !== undefined)
      parts.push(`return ${latest['charts/episodic_return'].toFixed(3)}`);
    if (latest['eval/success_rate'] !== undefined)
      parts.push(`eval success ${latest['eval/success_rate'].toFixed(2)}`);
    if (latest['teacher/calls'] !== undefined)
      parts.push(`teacher calls ${latest['teacher/calls']}`);
    return parts.join(' | ');
  };
  if (mode === 'bar') {
    const bar = new cliProgress.SingleBar(
      {
        format: `${runName} |{bar}| {value}/{total} steps | {summary}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let lastDrawn = -Infinity;
    return {
      update({ step, totalSteps }) {
        if (!started) {
          bar.start(totalSteps, step, { summary: summary() });
          started = true;
          return;
        }
        // SAC reports every step; redrawing that often costs more than the step.
        if (step - lastDrawn < totalSteps / 1000 && step < totalSteps) return;
        lastDrawn = step;
        bar.update(step, { summary: summary() });
      },
      stop: () => bar.stop(),
    };
  }
  let nextReport = 0;
  return {
    update({ step, totalSteps }) {
      if (step < nextReport && step < totalSteps) return;
      nextReport = step + totalSteps / 10;
      console.log(`${runName} steps ${step}/${totalSteps} | ${summary()}`);
    },
    stop: () => undefined,
  };
}
