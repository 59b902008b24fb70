import { algorithmEntry } from './algorithm-registry.ts';
import { trainingCommand } from './run-training.ts';

export const sacCommand = trainingCommand(algorithmEntry('sac'));
