/**
 * @module
 * `teacher-train eval --checkpoint <file>`: loads a saved student and plays episodes with it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readCheckpoint } from '../checkpoints/checkpoint.ts';
import { evaluateCheckpoint } from '../checkpoints/evaluate-checkpoint.ts';
import type { BackendChoice } from '../tensors/set-up-backend.ts';
import { setUpBackend } from '../tensors/set-up-backend.ts';
import type { Command } from './command.ts';

const usage = `usage: teacher-train eval --checkpoint <run>/checkpoint.json [options]

Plays episodes with a saved policy (any algorithm: ppo, lvlm2p, sac, varl) and prints the mean
return, success rate and length.

options:
  --checkpoint <file>   a checkpoint.json written by teacher-train ppo|lvlm2p|sac|varl
  --episodes <n>        episodes to play (default 20)
  --seed <n>            seed of the evaluation environment (default 10000, unseen in training)
  --env <id>            another environment than the one trained on
  --greedy              take the most likely action (SAC: the mean) instead of sampling
  --backend <name>      auto | wasm | tensorflow | cpu (default auto)
  --json                print the result as JSON
`;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'load a checkpoint (any algorithm) and play episodes with its policy',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        checkpoint: { type: 'string' },
        episodes: { type: 'string', default: '20' },
        seed: { type: 'string', default: '10000' },
        env: { type: 'string' },
        greedy: { type: 'boolean', default: false },
        backend: { type: 'string', default: 'auto' },
        json: { type: 'boolean', default: false },
      },
    });
    if (!values.checkpoint) {
      console.error(usage);
      return 1;
    }
    await setUpBackend({ backend: values.backend as BackendChoice });
    const checkpoint = readCheckpoint(JSON.parse(readFileSync(values.checkpoint, 'utf8')));
    const result = evaluateCheckpoint(checkpoint, {
      episodes: Number(values.episodes),
      seed: Number(values.seed),
      greedy: values.greedy,
      ...(values.env ? { envId: values.env } : {}),
    });
    if (values.json)
      console.log(
        JSON.stringify({ algorithm: checkpoint.algorithm, step: checkpoint.step, ...result }),
      );
    else {
      console.log(
        `${result.envId} (${checkpoint.algorithm}, ${checkpoint.step} steps): return ${result.meanReturn.toFixed(3)} ± ${result.stdReturn.toFixed(3)}, success ${(100 * result.successRate).toFixed(0)}%, length ${result.meanLength.toFixed(1)} over ${result.episodes} episodes`,
      );
    }
    return 0;
  },
};
