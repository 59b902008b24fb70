import type { Command } from './command.ts';
import { runSacTraining, sacTrainingUsage } from './run-sac-training.ts';

const summary = 'train the SAC baseline (cleanrl lineage) on a physics task, one run per seed';

export const sacCommand: Command = {
  name: 'sac',
  summary,
  usage: sacTrainingUsage('sac', summary),
  run: (args) => runSacTraining('sac', args),
};
