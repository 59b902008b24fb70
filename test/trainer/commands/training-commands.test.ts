import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { CHECKPOINT_FORMAT, readCheckpoint } from '@teacher-gateway/trainer/internal/checkpoints/checkpoint';
import type { Checkpoint } from '@teacher-gateway/trainer/internal/checkpoints/checkpoint';
import { evalCommand } from '@teacher-gateway/trainer/internal/commands/eval-command';
import { lvlm2pCommand } from '@teacher-gateway/trainer/internal/commands/lvlm2p-command';
import { ppoCommand } from '@teacher-gateway/trainer/internal/commands/ppo-command';
import { sacCommand } from '@teacher-gateway/trainer/internal/commands/sac-command';
import { varlCommand } from '@teacher-gateway/trainer/internal/commands/varl-command';

/** Tiny budgets: each run is a few updates, so the four algorithms train in seconds. */
const grid = [
  '--env',
  'Empty-5x5',
  '--num-envs',
  '2',
  '--num-steps',
  '16',
  '--minibatch-size',
  '16',
  '--update-epochs',
  '1',
  '--network',
  'mlp',
];
const physics = [
  '--env',
  'Reach',
  '--learning-starts',
  '20',
  '--batch-size',
  '8',
  '--hidden-size',
  '8',
  '--eval-every',
  '30',
  '--eval-episodes',
  '2',
  '--log-every',
  '10',
];
// VARL asks the teacher once, early and briefly, so a short run still covers the query path.
const oneQueryRound = ['--first-query-step', '30', '--query-rounds', '1', '--transitions-per-round', '4'];
const common = ['--backend', 'wasm', '--quiet'];

/** Runs a command in-process, returning its exit code and what it printed. */
async function run(command: { run(args: string[]): Promise<number> }, args: string[]) {
  const printed: string[] = [];
  const log = mock.method(
    console,
    'log',
    (...values: unknown[]) => void printed.push(values.join(' ')),
  );
  try {
    return { code: await command.run(args), printed };
  } finally {
    log.mock.restore();
  }
}

describe('teacher-train: one runner, one checkpoint format, eval for every algorithm', () => {
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'teacher-train-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  const folderOf = (prefix: string) => {
    const names = readdirSync(out).filter((name) => name.startsWith(prefix));
    assert.equal(names.length, 1, `${prefix}: ${names.join(', ')}`);
    return join(out, names[0]!);
  };

  const cases = [
    {
      command: ppoCommand,
      algorithm: 'ppo',
      env: 'MiniGrid-Empty-5x5-v0',
      args: [...grid, '--frames', '64'],
      kind: 'actor-critic',
    },
    {
      command: lvlm2pCommand,
      algorithm: 'lvlm2p',
      env: 'MiniGrid-Empty-5x5-v0',
      args: [...grid, '--frames', '64', '--tile-size', '8', '--accuracy', '1'],
      kind: 'actor-critic',
    },
    {
      command: sacCommand,
      algorithm: 'sac',
      env: 'Physics-Reach-v0',
      args: [...physics, '--steps', '60'],
      kind: 'squashed-gaussian',
    },
    {
      command: varlCommand,
      algorithm: 'varl',
      env: 'Physics-Reach-v0',
      args: [
        ...physics,
        '--steps',
        '60',
        ...oneQueryRound,
        '--guidance-batch-size',
        '4',
        '--accuracy',
        '1',
      ],
      kind: 'squashed-gaussian',
    },
  ] as const;

  for (const { command, algorithm, env, args, kind } of cases) {
    it(`${algorithm}: trains, writes a ${CHECKPOINT_FORMAT} checkpoint, and eval plays it`, async () => {
      const trained = await run(command, [...args, ...common, '--out', out]);
      assert.equal(trained.code, 0);
      const folder = folderOf(`${env}__${algorithm}__1__`);
      const runArgs = JSON.parse(readFileSync(join(folder, 'args.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.equal(runArgs.algorithm, algorithm);
      assert.equal(runArgs.totalTimesteps, algorithm === 'ppo' || algorithm === 'lvlm2p' ? 64 : 60);
      const lines = readFileSync(join(folder, 'metrics.jsonl'), 'utf8').trim().split('\n');
      assert.ok(lines.length >= 2, `${lines.length} metrics lines`);
      assert.equal(
        (JSON.parse(lines.at(-1)!) as { global_step: number }).global_step,
        algorithm === 'ppo' || algorithm === 'lvlm2p' ? 64 : 60,
      );

      const path = join(folder, 'checkpoint.json');
      const checkpoint = readCheckpoint(JSON.parse(readFileSync(path, 'utf8')));
      assert.equal(checkpoint.format, CHECKPOINT_FORMAT);
      assert.equal(checkpoint.algorithm, algorithm);
      assert.equal(checkpoint.envId, env);
      assert.equal(checkpoint.policy.kind, kind);
      if (algorithm === 'lvlm2p' || algorithm === 'varl') {
        // The in-process gateway answered: its totals are beside the run, its cache inside it.
        const cost = JSON.parse(readFileSync(join(folder, 'teacher-cost.json'), 'utf8')) as {
          total: { requests: number };
        };
        assert.ok(cost.total.requests > 0, JSON.stringify(cost));
        assert.ok(
          lines.some((line) => (JSON.parse(line) as Record<string, number>)['teacher/calls']! > 0),
        );
      }

      const evaluated = await run(evalCommand, [
        '--checkpoint',
        path,
        '--episodes',
        '2',
        '--greedy',
        '--backend',
        'wasm',
        '--json',
      ]);
      assert.equal(evaluated.code, 0);
      const result = JSON.parse(evaluated.printed.at(-1)!) as {
        algorithm: string;
        envId: string;
        episodes: number;
        returns: number[];
        successRate: number;
      };
      assert.equal(result.algorithm, algorithm);
      assert.equal(result.envId, env);
      assert.equal(result.episodes, 2);
      assert.equal(result.returns.length, 2);
      assert.ok(result.successRate >= 0 && result.successRate <= 1);
    });
  }

  it('reads checkpoints in the formats written before the shared one', async () => {
    const ppo = readCheckpoint(
      JSON.parse(
        readFileSync(join(folderOf('MiniGrid-Empty-5x5-v0__ppo__1__'), 'checkpoint.json'), 'utf8'),
      ),
    );
    const sac = readCheckpoint(
      JSON.parse(
        readFileSync(join(folderOf('Physics-Reach-v0__sac__1__'), 'checkpoint.json'), 'utf8'),
      ),
    );
    assert.equal(ppo.policy.kind, 'actor-critic');
    assert.equal(sac.policy.kind, 'squashed-gaussian');
    if (ppo.policy.kind !== 'actor-critic') return;
    const oldPpo = {
      format: 'teacher-train-checkpoint/1',
      algorithm: 'ppo',
      envId: ppo.envId,
      update: 2,
      frames: ppo.step,
      network: ppo.policy.network,
      vocabulary: ppo.policy.vocabulary,
      weights: ppo.weights,
      args: { ...ppo.args, totalFrames: 64 },
    };
    const oldSac = {
      format: 'teacher-train-sac-checkpoint/1',
      algorithm: 'sac',
      step: sac.step,
      args: sac.args,
      weights: sac.weights,
    };
    const upgraded = readCheckpoint(oldSac);
    assert.deepEqual(upgraded.policy, sac.policy);
    assert.deepEqual(readCheckpoint(oldPpo).policy, ppo.policy);
    for (const [name, old] of [
      ['ppo-v1.json', oldPpo],
      ['sac-v1.json', oldSac],
    ] as const) {
      writeFileSync(join(out, name), JSON.stringify(old));
      const evaluated = await run(evalCommand, [
        '--checkpoint',
        join(out, name),
        '--episodes',
        '1',
        '--backend',
        'wasm',
        '--json',
      ]);
      assert.equal(evaluated.code, 0);
      assert.equal((JSON.parse(evaluated.printed.at(-1)!) as { episodes: number }).episodes, 1);
    }
  });

  it('refuses an unknown or damaged checkpoint with a message naming the problem', () => {
    assert.throws(
      () => readCheckpoint({ format: 'something-else/9' }),
      /unknown checkpoint format something-else\/9/,
    );
    const damaged: Partial<Checkpoint> = {
      format: CHECKPOINT_FORMAT,
      algorithm: 'sac',
      envId: 'Physics-Reach-v0',
      step: -1,
    };
    assert.throws(
      () => readCheckpoint(damaged),
      /invalid teacher-train-checkpoint\/2 checkpoint: step/,
    );
  });

  it('gives runs of one env, algorithm and seed started together their own folders (every algorithm)', async () => {
    const sweep = mkdtempSync(join(tmpdir(), 'teacher-train-sweep-'));
    try {
      for (let i = 0; i < 2; i++)
        assert.equal(
          (await run(ppoCommand, [...grid, '--frames', '32', ...common, '--out', sweep])).code,
          0,
        );
      assert.equal(readdirSync(sweep).length, 2);
    } finally {
      rmSync(sweep, { recursive: true, force: true });
    }
  });

  it('takes --frames and --steps as the same budget for every algorithm', async () => {
    for (const [command, flag] of [
      [ppoCommand, '--steps'],
      [sacCommand, '--frames'],
    ] as const) {
      const folder = mkdtempSync(join(tmpdir(), 'teacher-train-budget-'));
      try {
        const args =
          command === ppoCommand
            ? [...grid, flag, '32']
            : [...physics, '--eval-every', '0', flag, '25'];
        assert.equal((await run(command, [...args, ...common, '--out', folder])).code, 0);
        const [name] = readdirSync(folder);
        const runArgs = JSON.parse(readFileSync(join(folder, name!, 'args.json'), 'utf8')) as {
          totalTimesteps: number;
        };
        assert.equal(runArgs.totalTimesteps, command === ppoCommand ? 32 : 25);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
  });

  it('varl --teacher scripted asks the same judgement in-process, without a gateway', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'teacher-train-scripted-'));
    try {
      const args = [
        ...physics,
        '--eval-every',
        '0',
        '--steps',
        '40',
        ...oneQueryRound,
        '--teacher',
        'scripted',
      ];
      assert.equal((await run(varlCommand, [...args, ...common, '--out', folder])).code, 0);
      const [name] = readdirSync(folder);
      const runArgs = JSON.parse(readFileSync(join(folder, name!, 'args.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.deepEqual([runArgs.teacher, runArgs.gateway], ['scripted', 'none']);
      assert.deepEqual(readdirSync(join(folder, name!)).sort(), [
        'args.json',
        'checkpoint.json',
        'metrics.jsonl',
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a flag the algorithm does not take', async () => {
    await assert.rejects(sacCommand.run(['--preset', 'released', ...common]), /preset/);
    await assert.rejects(ppoCommand.run(['--gateway', 'http://127.0.0.1:1', ...common]), /gateway/);
  });
});
