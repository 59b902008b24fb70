import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'gateway/src/cli.ts');
const directory = mkdtempSync(join(tmpdir(), 'cli-'));
after(() => rmSync(directory, { recursive: true, force: true }));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('teacher-gateway logs and cache commands', () => {
  test('export, import, stats and prune through the real command line', async () => {
    const dbPath = join(directory, 'teacher.db');
    const config = join(directory, 'gateway.config.yaml');
    writeFileSync(config, `storage: { path: ${JSON.stringify(dbPath)} }\n`);
    const database = openDatabase(dbPath);
    const gateway = createTestGateway({ providers: { fake: createFakeProvider() }, database });
    for (const [index, run] of ['run-a', 'run-a', 'run-a', 'run-b'].entries()) {
      const response = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { text: `step ${index}` }, template: 'minigrid-text', tags: { run } }));
      assert.equal(response.status, 200);
    }
    await gateway.flush();
    database.close();

    const jsonl = join(directory, 'run-a.jsonl');
    const exported = await run('logs', 'export', '--config', config, '--run', 'run-a', '--out', jsonl);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /3 entries written/);
    const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { tags: { run: string } });
    assert.equal(lines.length, 3);
    assert.ok(lines.every((line) => line.tags.run === 'run-a'));

    const stdout = await run('logs', 'export', '--config', config, '--status', 'ok', '--since', '2020-01-01T00:00:00Z');
    assert.equal(stdout.code, 0, stdout.stderr);
    assert.equal(stdout.stdout.trimEnd().split('\n').length, 4);

    const badFilter = await run('logs', 'export', '--config', config, '--since', 'last tuesday');
    assert.notEqual(badFilter.code, 0);
    assert.match(badFilter.stderr, /--since/);

    const cacheFile = join(directory, 'run-a.db');
    const cacheExport = await run('cache', 'export', '--config', config, '--run', 'run-a', '--out', cacheFile);
    assert.equal(cacheExport.code, 0, cacheExport.stderr);
    assert.match(cacheExport.stderr, /3 entries, 0 images and the 3 logged requests that filled them/);
    const again = await run('cache', 'export', '--config', config, '--run', 'run-a', '--out', cacheFile);
    assert.notEqual(again.code, 0, 'an existing file is not overwritten');

    const otherDb = join(directory, 'other.db');
    const imported = await run('cache', 'import', cacheFile, '--config', config, '--db', otherDb);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /3 entries added, 0 already present; .*3 logged requests added, 0 already present/);
    const reimported = await run('cache', 'import', cacheFile, '--db', otherDb, '--config', config);
    assert.match(reimported.stderr, /0 entries added, 3 already present; .*0 logged requests added, 3 already present/);

    const stats = await run('cache', 'stats', '--config', config, '--db', otherDb);
    assert.equal(stats.code, 0, stats.stderr);
    const parsed = JSON.parse(stats.stdout) as { entries: number; byRun: unknown };
    assert.equal(parsed.entries, 3);
    assert.deepEqual(parsed.byRun, [{ run: 'run-a', entries: 3 }]);

    const noAge = await run('logs', 'prune', '--config', config);
    assert.notEqual(noAge.code, 0);
    const keep = await run('logs', 'prune', '--config', config, '--older-than', '1d');
    assert.match(keep.stderr, /deleted 0 entries/);
    const pruned = await run('logs', 'prune', '--config', config, '--older-than', '0s');
    assert.match(pruned.stderr, /deleted 4 entries/);
  });
});
