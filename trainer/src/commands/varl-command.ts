import { algorithmEntry } from './algorithm-registry.ts';
import { trainingCommand } from './run-training.ts';

export const varlCommand = trainingCommand(algorithmEntry('varl'));
