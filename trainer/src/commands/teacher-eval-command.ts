/**
 * @module
 * `teacher-train teacher-eval`: how good is a teacher, before paying for training with it? Samples
 * states from an env, asks the teacher through a gateway, and scores it against the planner.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '@teacher-gateway/client';
import { ACTION_LABELS } from '../envs/grid-world/action.ts';
import { renderReliabilitySvg } from '../teacher-eval/calibration.ts';
import { evaluateTeacher } from '../teacher-eval/evaluate-teacher.ts';
import { sampleTeacherStates } from '../teacher-eval/sample-teacher-states.ts';
import { profileNames } from '../teachers/simulated-vlm/teacher-profile.ts';
import { parseNumber } from './algorithm-flags.ts';
import type { Command } from './command.ts';
import { resolveEnvId } from './run-training.ts';

const usage = `usage: teacher-train teacher-eval --env <id> --states <n> [options]

Measures a teacher before you train with it: samples states from the env (random walks and the
planner's own path), asks the teacher about each through the gateway, and reports agreement with
the shortest-path planner, calibration (ECE and a reliability diagram), mass on the planner's
action, malformed answers, upstream calls, tokens and cost. Without --gateway it starts an
in-process gateway in front of the simulated VLM with --profile.

options:
  --env <id>              grid world (MiniGrid-DoorKey-5x5-v0; "DoorKey-5x5" works too)
  --states <n>            states to ask about (default 200)
  --gateway <url>         a running gateway (any configured provider)
  --token <token>         bearer token for --gateway
  --provider <id>         gateway provider id (default: the gateway's default)
  --profile <name>        simulated VLM quality without --gateway: ${profileNames.join(' | ')} (default typical)
  --action-set <set>      simulated VLM: all | move (only left/right/forward, as the LVLM2P release) (default all)
  --teacher-actions <n>   ask about 7 actions (default) or 3 (turn left, turn right, move forward)
  --template <id>         prompt template (default minigrid-lvlm2p)
  --distribution <m>      logprobs | samples | verbalized | auto (default logprobs)
  --seed <n>              seeds the state sample (default 1)
  --vlm-seed <n>          seeds which states the simulated VLM gets wrong (default 0)
  --price-in <x>          price per million input tokens, for the cost line (default 0)
  --price-out <x>         price per million output tokens (default 0)
  --out <folder>          writes result.json and reliability.svg there (default teacher-eval/<env>-<profile or provider>)
  --json                  last line: the result as one JSON object
  --quiet                 no progress
`;

export const teacherEvalCommand: Command = {
  name: 'teacher-eval',
  summary: "measure a teacher's agreement with the planner, calibration and cost before training",
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        env: { type: 'string' },
        states: { type: 'string', default: '200' },
        gateway: { type: 'string' },
        token: { type: 'string' },
        provider: { type: 'string' },
        profile: { type: 'string', default: 'typical' },
        'action-set': { type: 'string', default: 'all' },
        'teacher-actions': { type: 'string', default: '7' },
        template: { type: 'string', default: 'minigrid-lvlm2p' },
        distribution: { type: 'string', default: 'logprobs' },
        seed: { type: 'string', default: '1' },
        'vlm-seed': { type: 'string', default: '0' },
        'price-in': { type: 'string', default: '0' },
        'price-out': { type: 'string', default: '0' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    });
    if (values.env === undefined) {
      console.error(usage);
      return 1;
    }
    const envId = resolveEnvId(values.env);
    const count = parseNumber('states', values.states);
    if (!(Number.isInteger(count) && count >= 1 && count <= 100_000))
      throw new RangeError(`--states must be an integer in 1..100000, got ${values.states}`);
    if (!profileNames.includes(values.profile))
      throw new RangeError(
        `--profile must be one of ${profileNames.join(', ')}, got ${values.profile}`,
      );
    const actionSet = values['action-set'];
    if (actionSet !== 'all' && actionSet !== 'move')
      throw new RangeError(`--action-set must be all or move, got ${actionSet}`);
    const teacherActions = parseNumber('teacher-actions', values['teacher-actions']);
    if (teacherActions !== 7 && teacherActions !== 3)
      throw new RangeError(`--teacher-actions must be 7 or 3, got ${teacherActions}`);
    const distribution = values.distribution as 'logprobs' | 'samples' | 'verbalized' | 'auto';
    if (!['logprobs', 'samples', 'verbalized', 'auto'].includes(distribution))
      throw new RangeError(`--distribution must be logprobs, samples, verbalized or auto`);
    const labels = ACTION_LABELS.slice(0, teacherActions);
    const log = (line: string) => {
      if (!values.quiet) console.error(line);
    };

    log(`sampling ${count} states from ${envId}`);
    const states = sampleTeacherStates({ envId, count, seed: parseNumber('seed', values.seed) });
    const { startLocalGateway } = values.gateway
      ? { startLocalGateway: undefined }
      : await import('../teachers/local-gateway/start-local-gateway.ts');
    const local = startLocalGateway
      ? await startLocalGateway({
          databasePath: ':memory:',
          simulatedVlm: {
            profile: values.profile,
            actionSet,
            seed: parseNumber('vlm-seed', values['vlm-seed']),
          },
        })
      : undefined;
    const client = createClient({
      baseUrl: values.gateway ?? local!.url,
      ...(values.token ? { token: values.token } : {}),
    });
    const provider = values.provider ?? local?.provider;
    try {
      const teacher = client.teacher({
        template: values.template,
        actions: { kind: 'discrete', labels: [...labels] },
        ...(provider ? { provider } : {}),
        distribution: { method: distribution },
        tags: { run: 'teacher-eval' },
      });
      let lastReport = 0;
      const result = await evaluateTeacher(states, teacher, {
        labels,
        totals: async () => (await client.cacheStats()).total,
        pricePerMillion: {
          input: parseNumber('price-in', values['price-in']),
          output: parseNumber('price-out', values['price-out']),
        },
        onProgress: (done, total) => {
          if (done === total || done - lastReport >= total / 10) {
            lastReport = done;
            log(`asked ${done}/${total}`);
          }
        },
      });
      const who = values.gateway ? (provider ?? 'default') : values.profile;
      const out = values.out ?? join('teacher-eval', `${envId}-${who}`);
      mkdirSync(out, { recursive: true });
      const summary = {
        envId,
        teacher: values.gateway
          ? { gateway: values.gateway, provider: provider ?? null }
          : { profile: values.profile, actionSet },
        teacherActions,
        ...result,
      };
      writeFileSync(join(out, 'result.json'), `${JSON.stringify(summary, null, 2)}\n`);
      writeFileSync(
        join(out, 'reliability.svg'),
        renderReliabilitySvg(
          result.bins,
          `${envId.replace(/^MiniGrid-|-v0$/g, '')}, ${who}: agreement ${result.agreement.toFixed(2)}, ECE ${result.ece.toFixed(2)}`,
        ),
      );
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      const lines = [
        `${envId} teacher ${who}, ${result.states} states (${teacherActions} actions)`,
        `  agreement with planner   ${pct(result.agreement)}  (answered: ${pct(result.agreementAnswered)}; random-walk states ${pct(result.agreementBySource.random)}, planner-path states ${pct(result.agreementBySource.planner)})`,
        `  mass on planner action   ${result.massOnPlanner.toFixed(3)}`,
        `  ECE                      ${result.ece.toFixed(3)}  (mean top probability ${result.meanConfidence.toFixed(3)})`,
        `  malformed                ${pct(result.malformedRate)}${result.errors.length > 0 ? `  e.g. ${result.errors[0]}` : ''}`,
        `  queries ${result.queries}, upstream calls ${result.upstreamCalls}, tokens ${result.inputTokens} in / ${result.outputTokens} out, cost ${result.cost.toFixed(4)}`,
        `  wrote ${join(out, 'result.json')} and ${join(out, 'reliability.svg')}`,
      ];
      if (!values.json || !values.quiet) console.log(lines.join('\n'));
      if (values.json) {
        const { bins: _bins, ...flat } = summary;
        console.log(JSON.stringify(flat));
      }
      return 0;
    } finally {
      await client.close();
      await local?.close();
    }
  },
};
