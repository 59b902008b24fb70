import type { Command } from './command.ts';
import { runTraining, trainingUsage } from './run-training.ts';

const summary =
  'train PPO with LVLM2P teacher distillation through the gateway (offline: an in-process gateway + simulated VLM)';

export const lvlm2pCommand: Command = {
  name: 'lvlm2p',
  summary,
  usage: trainingUsage('lvlm2p', summary),
  run: (args) => runTraining('lvlm2p', args),
};
