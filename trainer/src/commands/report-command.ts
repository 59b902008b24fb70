/**
 * @module
 * `teacher-train report <runs...>`: learning curves (SVG + PNG) and a markdown summary table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRuns } from '../reports/load-runs.ts';
import { formatSummaryTable, learningCurves, summarizeRuns } from '../reports/summarize-runs.ts';
import type { Command } from './command.ts';

const usage = `usage: teacher-train report <run folder or parent>... [options]

Reads every run under the given folders and writes learning-curves.svg, learning-curves.png
and summary.md (frames to a return threshold per method and their ratio, final return, teacher
agreement with the planner, teacher cost) to --out.

options:
  --out <folder>       where the report goes (default: the first folder given)
  --threshold <r>      return threshold for "frames to threshold" (default 0.8)
  --smoothing <n>      updates in the moving average checked against it (default 5)
  --baseline <label>   the method others are compared with (default ppo)
  --metric <key>       what the curves and threshold use (default charts/episodic_return;
                       eval/success_rate for sac|varl runs)
  --title <text>       chart title
  --include-incomplete also read runs that stopped before their last update (skipped by default)
`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'learning curves (SVG, PNG) and a summary table from run folders',
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        threshold: { type: 'string', default: '0.8' },
        smoothing: { type: 'string', default: '5' },
        baseline: { type: 'string', default: 'ppo' },
        metric: { type: 'string', default: 'charts/episodic_return' },
        title: { type: 'string' },
        'include-incomplete': { type: 'boolean', default: false },
      },
    });
    if (positionals.length === 0) {
      console.error(usage);
      return 1;
    }
    const runs = loadRuns(positionals, { includeIncomplete: values['include-incomplete'] });
    const skipped = loadRuns(positionals, { includeIncomplete: true }).length - runs.length;
    if (skipped > 0) console.error(`teacher-train report: skipped ${skipped} incomplete run(s)`);
    if (runs.length === 0) {
      console.error(
        `teacher-train report: no runs (args.json + metrics.jsonl) under ${positionals.join(', ')}`,
      );
      return 1;
    }
    const options = {
      threshold: Number(values.threshold),
      smoothing: Number(values.smoothing),
      baseline: values.baseline,
      metric: values.metric,
    };
    const out = values.out ?? positionals[0]!;
    mkdirSync(out, { recursive: true });
    // Loaded on use: vega and resvg take about a second to import, which other commands need not pay.
    const { renderLearningCurves } = await import('../reports/render-learning-curves.ts');
    const chart = await renderLearningCurves(
      learningCurves(runs, options.smoothing, options.metric),
      {
        metricLabel:
          options.metric === 'charts/episodic_return' ? 'episodic return' : options.metric,
        title: values.title ?? `Episodic return vs frames (${runs.length} runs)`,
        threshold: options.threshold,
      },
    );
    writeFileSync(join(out, 'learning-curves.svg'), chart.svg);
    writeFileSync(join(out, 'learning-curves.png'), chart.png);
    const rows = summarizeRuns(runs, options);
    const table = formatSummaryTable(rows, options);
    writeFileSync(
      join(out, 'summary.md'),
      `# Summary\n\n${runs.length} runs. Frames to threshold: first update where the ${options.smoothing}-update moving average of \`charts/episodic_return\` reaches ${options.threshold}, averaged over seeds (a seed that never reaches it counts its full length, shown as "≥"). Final return: the mean of the last ${options.smoothing} updates. Teacher queries: distinct states sent per run; upstream calls: the gateway's calls to the model; tokens: input + output of cache misses.\n\n${table}\n`,
    );
    console.log(table);
    console.log(`\nwrote ${join(out, 'learning-curves.svg')}, learning-curves.png, summary.md`);
    return 0;
  },
};
