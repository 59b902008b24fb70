import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadedRun } from '@teacher-gateway/trainer/internal/reports/load-runs';
import { renderLearningCurves } from '@teacher-gateway/trainer/internal/reports/render-learning-curves';
import {
  formatSummaryTable,
  learningCurves,
  summarizeRuns,
} from '@teacher-gateway/trainer/internal/reports/summarize-runs';

/** A run whose return follows `returns`, one update per 1000 frames. */
function run(
  label: string,
  seed: number,
  returns: number[],
  teacher?: { calls: number; upstream: number },
): LoadedRun {
  return {
    folder: `runs/${label}-${seed}`,
    runName: `MiniGrid-DoorKey-5x5-v0__${label}__${seed}__0`,
    algorithm: label,
    envId: 'MiniGrid-DoorKey-5x5-v0',
    seed,
    label,
    args: {},
    metrics: returns.map((value, i) => ({
      global_step: (i + 1) * 1000,
      'charts/episodic_return': value,
      'charts/sps': 500,
      ...(teacher
        ? {
            'teacher/calls': teacher.calls * (i + 1),
            'teacher/gateway_upstream_calls': teacher.upstream,
            'teacher/agreement_total': 1,
          }
        : {}),
    })),
  };
}

const options = { threshold: 0.8, smoothing: 1, baseline: 'ppo' };

describe('summarizeRuns', () => {
  const runs = [
    run('ppo', 1, [0, 0, 0.5, 0.9, 0.9, 0.9]),
    run('ppo', 2, [0, 0, 0, 0, 0.85, 0.9]),
    run('lvlm2p', 1, [0.5, 0.9, 0.9, 0.9, 0.9, 0.9], { calls: 10, upstream: 3 }),
    run('lvlm2p', 2, [0.2, 0.5, 0.95, 0.9, 0.9, 0.9], { calls: 10, upstream: 5 }),
  ];

  it('finds frames to threshold per seed and the ratio against the baseline', () => {
    const rows = summarizeRuns(runs, options);
    const ppo = rows.find((row) => row.label === 'ppo')!;
    const lvlm2p = rows.find((row) => row.label === 'lvlm2p')!;
    assert.deepEqual(ppo.framesToThreshold, [4000, 5000]);
    assert.deepEqual(lvlm2p.framesToThreshold, [2000, 3000]);
    assert.equal(lvlm2p.speedup, 4500 / 2500);
    assert.equal(lvlm2p.upstreamCalls, 4);
    assert.equal(lvlm2p.teacherQueries, 60);
    assert.ok(Math.abs(ppo.finalReturn - 0.9) < 1e-12);
  });

  it('counts a seed that never reaches the threshold at its full length and marks the bound', () => {
    const rows = summarizeRuns(
      [run('ppo', 1, [0, 0, 0]), run('lvlm2p', 1, [0.9, 0.9, 0.9], { calls: 1, upstream: 1 })],
      options,
    );
    const table = formatSummaryTable(rows, options);
    assert.match(table, /\| ppo \| 1 \| ≥ 3,000 \| 0\/1 \|/);
    assert.match(table, /\| lvlm2p \| 1 \| 1,000 \| 1\/1 \| ≥ 3\.00x \|/);
  });

  it('averages the curves over seeds with a ±1 sd band', () => {
    const points = learningCurves(runs, 1).filter((point) => point.label === 'ppo');
    assert.equal(points.length, 6);
    assert.deepEqual({ mean: points[3]!.mean, seeds: points[3]!.seeds }, { mean: 0.45, seeds: 2 });
    assert.ok(Math.abs(points[3]!.high - 0.9) < 1e-12 && Math.abs(points[3]!.low - 0) < 1e-12);
  });

  it('renders the curves as SVG and PNG', async () => {
    const chart = await renderLearningCurves(learningCurves(runs, 1), {
      title: 'test',
      threshold: 0.8,
    });
    assert.match(chart.svg, /^<svg/);
    assert.deepEqual([...chart.png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });
});
