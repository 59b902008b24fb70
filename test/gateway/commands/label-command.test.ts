import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { minigridActions, promptsDir, tinyPng } from '../../helpers/create-test-gateway.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'gateway/src/cli.ts');
const directory = mkdtempSync(join(tmpdir(), 'label-cli-'));
const standIn = await startOpenAIStandIn({ apiKey: 'sk-label-cli' });
after(async () => {
  await standIn.close();
  rmSync(directory, { recursive: true, force: true });
});

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { cwd: root },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('teacher-gateway label through the real command line: batch, then everything cached', async () => {
  const config = join(directory, 'gateway.config.yaml');
  writeFileSync(
    config,
    `storage: { path: ${JSON.stringify(join(directory, 'teacher.db'))} }
templates: { dir: ${JSON.stringify(promptsDir)} }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-label-cli, baseURL: ${JSON.stringify(standIn.url)} }
`,
  );
  const input = join(directory, 'observations.jsonl');
  writeFileSync(
    input,
    ['a', 'b', 'a'].map((text) => JSON.stringify({ image: tinyPng, text })).join('\n'),
  );
  const args = [
    'label',
    '--config',
    config,
    '--in',
    input,
    '--template',
    'minigrid-lvlm2p',
    '--actions',
    minigridActions.labels.join(','),
    '--poll-interval',
    '0s',
  ];

  const first = await run(...args, '--out', join(directory, 'results.jsonl'));
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /3 lines: 3 labelled, 0 already cached, 0 failed \(batches batch_/);
  const results = readFileSync(join(directory, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { status: string; action: number });
  assert.deepEqual(
    results.map((result) => result.status),
    ['labelled', 'labelled', 'labelled'],
  );
  const state = JSON.parse(readFileSync(`${input}.label-state.json`, 'utf8')) as {
    batches: { processed: boolean }[];
    done: string[];
  };
  assert.equal(state.batches[0]?.processed, true);
  assert.equal(state.done.length, 2);

  const second = await run(...args);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /3 lines: 0 labelled, 3 already cached/);
  assert.equal(standIn.calls.filter((call) => call.path === '/v1/batches').length, 1);
  assert.equal(standIn.calls.filter((call) => call.path === '/v1/chat/completions').length, 0);
});
