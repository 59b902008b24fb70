import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '@teacher-gateway/client';
import { ACTION_LABELS } from '@teacher-gateway/trainer';
import { evaluateTeacher } from '@teacher-gateway/trainer/internal/teacher-eval/evaluate-teacher';
import { sampleTeacherStates } from '@teacher-gateway/trainer/internal/teacher-eval/sample-teacher-states';
import { startLocalGateway } from '@teacher-gateway/trainer/internal/teachers/local-gateway/start-local-gateway';
import { startGatewayWithStandIn } from '../../helpers/start-gateway-with-stand-in.ts';
import type { EndToEndGateway } from '../../helpers/start-gateway-with-stand-in.ts';

const cli = fileURLToPath(new URL('../../../trainer/src/cli.ts', import.meta.url));
const run = promisify(execFile);

describe('teacher-eval', () => {
  const states = sampleTeacherStates({ envId: 'MiniGrid-DoorKey-5x5-v0', count: 40, seed: 3 });

  it('samples states from random walks and the planner path, each with the planner action', () => {
    assert.equal(states.length, 40);
    assert.equal(states.filter((s) => s.source === 'random').length, 20);
    assert.ok(
      states.every((s) => s.plannerAction >= 0 && s.plannerAction < 7 && s.png.length > 100),
    );
  });

  for (const [profile, low, high] of [
    ['oracle', 1, 1],
    ['poor', 0, 0.45],
  ] as const) {
    it(`scores the simulated ${profile} teacher through the in-process gateway`, async () => {
      const local = await startLocalGateway({
        databasePath: ':memory:',
        simulatedVlm: { profile },
      });
      const client = createClient({ baseUrl: local.url });
      try {
        const teacher = client.teacher({
          template: 'minigrid-lvlm2p',
          actions: { kind: 'discrete', labels: [...ACTION_LABELS] },
          provider: local.provider,
        });
        const result = await evaluateTeacher(states, teacher, {
          totals: async () => (await client.cacheStats()).total,
          pricePerMillion: { input: 2.5, output: 10 },
        });
        assert.ok(
          result.agreement >= low && result.agreement <= high,
          `agreement ${result.agreement}`,
        );
        assert.equal(result.queries, 40);
        assert.ok(result.upstreamCalls > 0 && result.inputTokens > 0);
        assert.ok(result.cost > 0);
        assert.ok(result.ece >= 0 && result.ece <= 1);
        if (profile === 'oracle') {
          assert.equal(result.malformedRate, 0);
          assert.ok(result.massOnPlanner > 0.85);
        } else {
          // Confidently wrong: far more sure than right.
          assert.ok(result.meanConfidence - result.agreementAnswered > 0.3, JSON.stringify(result));
        }
      } finally {
        await client.close();
        await local.close();
      }
    });
  }

  describe('the command, through a gateway in front of the OpenAI stand-in', () => {
    let gateway: EndToEndGateway;
    let dir: string;
    before(async () => {
      gateway = await startGatewayWithStandIn();
      dir = mkdtempSync(join(tmpdir(), 'teacher-eval-'));
    });
    after(async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints one JSON object last and writes the result and the reliability diagram', async () => {
      const { stdout } = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          cli,
          'teacher-eval',
          '--env',
          'DoorKey-5x5',
          '--states',
          '8',
          '--gateway',
          gateway.url,
          '--out',
          dir,
          '--json',
          '--quiet',
        ],
        { timeout: 120_000 },
      );
      const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      for (const key of [
        'agreement',
        'ece',
        'queries',
        'upstreamCalls',
        'malformedRate',
        'massOnPlanner',
        'cost',
      ])
        assert.equal(typeof last[key], 'number', key);
      assert.equal(last.queries, 8);
      assert.ok(last.upstreamCalls! >= 1);
      assert.match(readFileSync(join(dir, 'reliability.svg'), 'utf8'), /^<svg/);
      assert.equal(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).states, 8);
    });
  });
});
