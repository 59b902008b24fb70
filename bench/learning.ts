/**
 * `npm run bench:learning [ppo|pendulum|reach ...] [--seed N] [--initial-alpha A]`: do the learners
 * learn? Each check trains on a task a correct implementation must solve within the stated
 * budget and prints the measure, its threshold and a random policy's value measured in the same
 * run (the baseline), with the ratio.
 */
import { parseArgs } from 'node:util';
import {
  ppoEmptyCheck,
  sacDenseReachCheck,
  sacPendulumCheck,
} from '@teacher-gateway/trainer/internal/learning-checks/learning-checks';
import type { LearningCheckResult } from '@teacher-gateway/trainer/internal/learning-checks/learning-checks';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';

// --seed N runs every check on another seed; --initial-alpha A starts SAC's temperature elsewhere
// (the README's comparison of 1 and 0.1 on seeds 1-3).
const { values, positionals: wanted } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: 'string', default: '1' }, 'initial-alpha': { type: 'string' } },
});
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed) || seed < 0)
  throw new RangeError(`--seed must be a whole number >= 0, not ${values.seed}`);
const initialAlpha = Number(values['initial-alpha']);
if (values['initial-alpha'] !== undefined && !(initialAlpha > 0 && Number.isFinite(initialAlpha)))
  throw new RangeError(`--initial-alpha must be a number > 0, not ${values['initial-alpha']}`);
const overrides = values['initial-alpha'] === undefined ? {} : { initialAlpha };
const checks: Record<string, () => Promise<LearningCheckResult>> = {
  ppo: () => ppoEmptyCheck(seed),
  reach: () => sacDenseReachCheck({ seed, overrides }),
  pendulum: () => sacPendulumCheck({ seed, overrides }),
};
const names = wanted.length > 0 ? wanted : Object.keys(checks);
const backend = await setUpBackend({ backend: 'auto' });
console.log(`learning checks (backend ${backend}): ${names.join(', ')}`);
let failed = 0;
for (const name of names) {
  const check = checks[name];
  if (!check)
    throw new RangeError(`unknown check ${name}; known: ${Object.keys(checks).join(', ')}`);
  const r = await check();
  const ratio = r.randomValue !== 0 ? r.value / r.randomValue : Number.NaN;
  console.log(
    `${r.passed ? 'PASS' : 'FAIL'} ${r.name}: ${r.measure} = ${r.value.toFixed(3)} (threshold ${r.threshold}, budget ${r.budget}); random policy ${r.randomValue.toFixed(3)} (ratio ${ratio.toFixed(2)}); ${r.seconds.toFixed(0)} s`,
  );
  if (!r.passed) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
