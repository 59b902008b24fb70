// The command line's answers to a user's usual mistakes: one line that names the file, the run or
// the flag to use, and an exit code that scripts can test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'gateway/src/cli.ts');
const directory = mkdtempSync(join(tmpdir(), 'cli-errors-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const config = join(directory, 'gateway.config.yaml');
writeFileSync(config, `storage: { path: ${JSON.stringify(join(directory, 'teacher.db'))} }\n`);

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('teacher-gateway errors', () => {
  test('cache import of a missing file names the file', async () => {
    const missing = join(directory, 'missing.db');
    const result = await run('cache', 'import', missing, '--config', config);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `teacher-gateway: cache import: ${missing} does not exist (a file written by teacher-gateway cache export)\n`);
  });

  test('cache export of an unknown run warns, exits non-zero and writes nothing', async () => {
    const out = join(directory, 'unknown.db');
    const result = await run('cache', 'export', '--run', 'unknown', '--out', out, '--config', config);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /warning: the cache holds no entries of run "unknown".*nothing written/);
    assert.equal(existsSync(out), false);
  });

  test('a missing templates folder is one line naming the folder and the setting', async () => {
    const elsewhere = join(directory, 'no-prompts.yaml');
    writeFileSync(elsewhere, `storage: { path: ":memory:" }\ntemplates: { dir: ${JSON.stringify(join(directory, 'prompts'))} }\n`);
    const result = await run('serve', '--port', '0', '--config', elsewhere);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`no prompt templates at ${join(directory, 'prompts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*templates\\.dir`));
  });

  test('a port in use is one line suggesting --port, not a stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await run('serve', '--config', config, '--db', ':memory:', '--port', String(port));
      assert.equal(result.code, 1);
      const lines = result.stderr.trim().split('\n');
      assert.deepEqual(lines, [`teacher-gateway: port ${port} is already in use (another gateway?); pick another with --port <n>, e.g. --port ${port + 1}`]);
    } finally {
      taken.close();
    }
  });
});
