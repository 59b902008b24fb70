/**
 * `npm run bench:imitation [env ids ...]`: can the student represent the planner's policy? Fits
 * the PPO student to the planner's actions by supervised learning, with its mission encoder and,
 * as the baseline measured in the same run, without the mission, and prints the training accuracy
 * at each budget with the ratio. A student that cannot fit the planner cannot gain from LVLM2P.
 */
import {
  IMITATION_DEFAULTS,
  imitationCheck,
} from '@teacher-gateway/trainer/internal/learning-checks/imitation-check';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const envIds = (
  wanted.length > 0
    ? wanted
    : ['MiniGrid-GoToDoor-5x5-v0', 'MiniGrid-DoorKey-5x5-v0', 'MiniGrid-LavaGapS5-v0']
) as `MiniGrid-${string}`[];
const backend = await setUpBackend({ backend: 'auto' });
console.log(
  `imitation of the planner by the PPO student (backend ${backend}; ${IMITATION_DEFAULTS.states} states, minibatches of ${IMITATION_DEFAULTS.batchSize}, Adam 1e-3)`,
);
for (const envId of envIds) {
  const started = performance.now();
  const withMission = imitationCheck({ ...IMITATION_DEFAULTS, envId, missionEncoder: 'bag-of-words' });
  const without = imitationCheck({ ...IMITATION_DEFAULTS, envId, missionEncoder: 'none' });
  console.log(`${envId} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  withMission.forEach((reading, i) => {
    const baseline = without[i]!.accuracy;
    console.log(
      `  after ${String(reading.step).padStart(5)} steps: accuracy ${reading.accuracy.toFixed(3)} with the mission, ${baseline.toFixed(3)} without (ratio ${baseline > 0 ? (reading.accuracy / baseline).toFixed(2) : '—'})`,
    );
  });
}
