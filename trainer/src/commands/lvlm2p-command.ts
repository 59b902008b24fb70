import { algorithmEntry } from './algorithm-registry.ts';
import { trainingCommand } from './run-training.ts';

export const lvlm2pCommand = trainingCommand(algorithmEntry('lvlm2p'));
