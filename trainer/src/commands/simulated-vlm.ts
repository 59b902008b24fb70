import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createSimulatedVlmServer } from '../teachers/simulated-vlm/create-simulated-vlm-server.ts';
import type { SimulatedVlmOptions } from '../teachers/simulated-vlm/simulated-vlm-options.ts';
import type { Command } from './command.ts';

const usage = `usage: teacher-train simulated-vlm [options]

An OpenAI-compatible chat-completions server whose answers come from the planner bot, seen
through a simulated VLM's eyes (decoded picture + mission). Point a gateway provider of kind
openai-compatible at http://<host>:<port>/v1 with model simulated-planner.

options:
  --port <n>               listen port (default 8000; 0 picks a free one)
  --host <address>         listen address (default 127.0.0.1)
  --model <name>           model name served (default simulated-planner)
  --seed <n>               seeds every random draw (default 0)
  --profile <name>         a named teacher quality: oracle | good | typical | poor (mistakes that
                           repeat per state; replaces --accuracy and --misread-facing; default none)
  --action-set <set>       all | move (only turn left / turn right / move forward) (default all)
  --accuracy <p>           probability mass on the planner's action (default 0.8)
  --temperature <t>        sampling temperature for requests that set none (default 1)
  --misread-facing <p>     chance per observation of misreading the agent's direction (default 0)
  --malformed <p>          chance per answer of an unparseable reply (default 0)
  --refusal <p>            chance per request of a refusal (default 0)
  --rate-limit-rate <p>    chance per request of a 429 with retry-after (default 0)
  --retry-after <s>        the retry-after a 429 asks for, in seconds (default 1)
  --latency-ms <ms>        time taken per completion (default 0)
`;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new RangeError(`--${name} must be a number, got "${value}"`);
  return parsed;
}

export const simulatedVlmCommand: Command = {
  name: 'simulated-vlm',
  summary: 'serve the planner as an OpenAI-compatible VLM teacher, with quality and failure knobs',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '8000' },
        host: { type: 'string' },
        model: { type: 'string' },
        seed: { type: 'string' },
        accuracy: { type: 'string' },
        profile: { type: 'string' },
        'action-set': { type: 'string' },
        temperature: { type: 'string' },
        'misread-facing': { type: 'string' },
        malformed: { type: 'string' },
        refusal: { type: 'string' },
        'rate-limit-rate': { type: 'string' },
        'retry-after': { type: 'string' },
        'latency-ms': { type: 'string' },
      },
    });
    const options: SimulatedVlmOptions = {};
    const set = <K extends keyof SimulatedVlmOptions>(
      key: K,
      value: SimulatedVlmOptions[K] | undefined,
    ) => {
      if (value !== undefined) options[key] = value;
    };
    set('port', number('port', values.port));
    set('host', values.host);
    set('model', values.model);
    set('seed', number('seed', values.seed));
    set('accuracy', number('accuracy', values.accuracy));
    set('profile', values.profile);
    const actionSet = values['action-set'];
    if (actionSet !== undefined && actionSet !== 'all' && actionSet !== 'move')
      throw new RangeError(`--action-set must be all or move, got ${actionSet}`);
    set('actionSet', actionSet);
    set('temperature', number('temperature', values.temperature));
    set('misreadFacing', number('misread-facing', values['misread-facing']));
    set('malformed', number('malformed', values.malformed));
    set('refusal', number('refusal', values.refusal));
    set('rateLimitRate', number('rate-limit-rate', values['rate-limit-rate']));
    set('retryAfterSeconds', number('retry-after', values['retry-after']));
    set('latencyMs', number('latency-ms', values['latency-ms']));

    const server = await createSimulatedVlmServer(options);
    console.log(
      `simulated VLM (${options.model ?? 'simulated-planner'}, ${options.profile ? `profile ${String(options.profile)}` : `accuracy ${options.accuracy ?? 0.8}`}) listening on ${server.url}`,
    );
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    await server.close();
    return 0;
  },
};
