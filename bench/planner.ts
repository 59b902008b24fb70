// Planner bot success over N seeds (default 100) of every grid-world id:
//   npm run bench:planner [-- seeds] [--from-picture]
// --from-picture plans as the simulated VLM does: from the rendered full map, decoded back into
// cells, plus the mission, without the env's hidden state.
import { envIds, makeEnv, readGridPicture } from '@teacher-gateway/trainer';
import { planAction } from '@teacher-gateway/trainer/internal/teachers/planner/plan-action';
import { planActionFromMission } from '@teacher-gateway/trainer/internal/teachers/planner/plan-action-from-mission';
import type { PlanResult } from '@teacher-gateway/trainer/internal/teachers/planner/planner-world';
import type { GridWorldEnv } from '@teacher-gateway/trainer';

const args = process.argv.slice(2);
const fromPicture = args.includes('--from-picture');
const seeds = Number(args.find((a) => !a.startsWith('--')) ?? 100);

function plan(env: GridWorldEnv): PlanResult {
  if (!fromPicture) return planAction(env.snapshot());
  const reading = readGridPicture(env.renderRgb({ tileSize: 8 }));
  if (!reading.ok) return { action: 0, ok: false, reason: reading.reason };
  return planActionFromMission({
    grid: reading,
    mission: env.snapshot().mission,
    actionCount: env.actionSpace.kind === 'discrete' ? env.actionSpace.n : 7,
  });
}

console.log(
  `planner (${fromPicture ? 'from the rendered picture + mission' : 'from the full state'}), ${seeds} seeds per id`,
);
const rows: string[][] = [['env id', 'success', 'mean return', 'mean steps', 'not ok', 'ms/step']];
for (const id of envIds().filter((name) => name.startsWith('MiniGrid-'))) {
  let successes = 0;
  let totalReturn = 0;
  let totalSteps = 0;
  let notOk = 0;
  let planMs = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const env = makeEnv(id as `MiniGrid-${string}`);
    env.reset(seed);
    let episodeReturn = 0;
    for (;;) {
      const t0 = performance.now();
      const next = plan(env);
      planMs += performance.now() - t0;
      if (!next.ok) notOk++;
      const { reward, terminated, truncated } = env.step(next.action);
      episodeReturn += reward;
      totalSteps++;
      if (terminated || truncated) break;
    }
    totalReturn += episodeReturn;
    if (episodeReturn > 0) successes++;
  }
  rows.push([
    id.replace(/^MiniGrid-/, ''),
    `${((100 * successes) / seeds).toFixed(0)}%`,
    (totalReturn / seeds).toFixed(3),
    (totalSteps / seeds).toFixed(1),
    String(notOk),
    (planMs / totalSteps).toFixed(3),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const [n, row] of rows.entries()) {
  console.log(
    row.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  '),
  );
  if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log(
  'not ok: steps where the planner found no plan and waited (Dynamic-Obstacles: boxed in by balls).',
);
