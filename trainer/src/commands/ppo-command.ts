import type { Command } from './command.ts';
import { runTraining, trainingUsage } from './run-training.ts';

const summary =
  'train the PPO baseline (the LVLM2P release settings) on a grid world, one run per seed';

export const ppoCommand: Command = {
  name: 'ppo',
  summary,
  usage: trainingUsage('ppo', summary),
  run: (args) => runTraining('ppo', args),
};
