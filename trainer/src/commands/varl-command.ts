import type { Command } from './command.ts';
import { runSacTraining, sacTrainingUsage } from './run-sac-training.ts';

const summary =
  'train SAC with VARL: a few rounds of VLM action advice through the gateway, a gated behaviour-cloning term until N_s';

export const varlCommand: Command = {
  name: 'varl',
  summary,
  usage: sacTrainingUsage('varl', summary),
  run: (args) => runSacTraining('varl', args),
};
