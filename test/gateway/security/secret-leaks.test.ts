import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { repositoryRoot } from '../../helpers/start-gateway-process.ts';
import { startGeminiStandIn } from '../../stand-ins/gemini-stand-in.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

const secrets = {
  openaiKey: 'sk-proj-LEAKCANARY-openai-7f3a9c21d4e8b6f0',
  geminiKey: 'AIzaLEAKCANARY-gemini-5b2e8d1f9a7c3e60',
  aliceToken: 'tok-LEAKCANARY-alice-0c9e7a5b3d1f',
  bobToken: 'tok-LEAKCANARY-bob-8e6c4a2f0d9b',
  // A guess at a token is as secret as a token: it may be a real one mistyped.
  wrongToken: 'tok-LEAKCANARY-wrong-4d2b0f8e6c1a',
};

/** Every place a secret could surface, as text: each is searched for every secret. */
function findLeaks(places: Record<string, string | Buffer>): string[] {
  const leaks: string[] = [];
  for (const [place, content] of Object.entries(places)) {
    const text = Buffer.isBuffer(content) ? content.toString('latin1') : content;
    for (const [name, secret] of Object.entries(secrets)) {
      // The distinctive middle is enough: a truncated or re-encoded secret still contains it.
      for (const fragment of [secret, secret.slice(4, -6)]) if (text.includes(fragment)) leaks.push(`${name} in ${place}`);
    }
  }
  return [...new Set(leaks)];
}

describe('secrets', () => {
  test('provider keys and bearer tokens appear in no log line, audit row, export, metric or database page', { timeout: 120_000 }, async (t) => {
    const directory = mkdtempSync(join(tmpdir(), 'secret-leaks-'));
    t.after(() => rmSync(directory, { recursive: true, force: true }));
    const openai = await startOpenAIStandIn({ apiKey: secrets.openaiKey });
    const gemini = await startGeminiStandIn({ apiKey: secrets.geminiKey });
    t.after(() => openai.close());
    t.after(() => gemini.close());
    const dbPath = join(directory, 'teacher.db');
    const config = join(directory, 'gateway.config.yaml');
    writeFileSync(
      config,
      `server: { host: 127.0.0.1, port: 0 }
storage: { path: ${JSON.stringify(dbPath)} }
auth: { tokens: [{ name: alice, token: "\${ALICE_TOKEN}" }, { name: bob, token: "\${BOB_TOKEN}" }] }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: "\${OPENAI_API_KEY}", baseURL: ${JSON.stringify(openai.url)}, maxRetries: 1 }
  - { id: gemini-flash, kind: gemini, model: gemini-2.0-flash, apiKey: "\${GEMINI_API_KEY}", baseURL: ${JSON.stringify(gemini.url)}, maxRetries: 1 }
`,
    );
    const environment = {
      ...process.env,
      OPENAI_API_KEY: secrets.openaiKey,
      GEMINI_API_KEY: secrets.geminiKey,
      ALICE_TOKEN: secrets.aliceToken,
      BOB_TOKEN: secrets.bobToken,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/cli.ts', 'serve', '--config', config], {
      cwd: repositoryRoot,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (!/"msg":"listening"/.test(output)) {
      assert.ok(Date.now() < deadline, `the gateway did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = (JSON.parse(output.split('\n').find((line) => line.includes('"msg":"listening"')) ?? '{}') as { url: string }).url;

    const call = (path: string, token: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const statuses: number[] = [];
    let step = 0;
    const suggest = async (provider: string, token = secrets.aliceToken) => {
      const response = await call('/v1/suggestions', token, suggestionRequest({ provider, observation: { image: distinctPng((step += 1)), text: 'go' }, tags: { run: 'leaks' } }));
      statuses.push(response.status);
      await response.text();
    };
    await suggest('openai-mini');
    await suggest('gemini-flash', secrets.bobToken);
    for (const scenario of ['server-error', 'invalid-request', 'unauthorized'] as const) {
      openai.fail(scenario, 2);
      await suggest('openai-mini');
    }
    for (const scenario of ['internal', 'invalid-request', 'unauthorized'] as const) {
      gemini.fail(scenario, 2);
      await suggest('gemini-flash');
    }
    await suggest('openai-mini', secrets.wrongToken);
    const viewer = await fetch(`${url}/ui/?token=${secrets.aliceToken}`, { redirect: 'manual' });
    statuses.push(viewer.status);
    assert.ok(statuses.includes(200) && statuses.includes(401) && statuses.some((status) => status >= 500), `statuses ${statuses.join(',')}`);

    const places: Record<string, string | Buffer> = {};
    const list = (await (await call('/v1/logs?limit=1000', secrets.aliceToken)).json()) as { entries: { id: string }[] };
    assert.ok(list.entries.length >= 8);
    for (const entry of list.entries) places[`GET /v1/logs/${entry.id}`] = await (await call(`/v1/logs/${entry.id}`, secrets.aliceToken)).text();
    places['GET /v1/logs/export'] = await (await call('/v1/logs/export', secrets.aliceToken)).text();
    places['GET /metrics'] = await (await fetch(`${url}/metrics`)).text();
    places['GET /v1/providers'] = await (await call('/v1/providers', secrets.aliceToken)).text();
    places['GET /v1/cache/stats'] = await (await call('/v1/cache/stats', secrets.aliceToken)).text();
    places['GET /openapi.json'] = await (await fetch(`${url}/openapi.json`)).text();
    const firstEntry = list.entries[0]?.id ?? '';
    places['GET /ui/requests/:id'] = await (await fetch(`${url}/ui/requests/${firstEntry}`, { headers: { authorization: `Bearer ${secrets.aliceToken}` } })).text();

    child.kill('SIGTERM');
    await exited;
    places['gateway stdout and stderr'] = output;
    // Exports through the command line, and every byte of the database files.
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'gateway/src/cli.ts', ...args, '--config', config], { cwd: repositoryRoot, env: environment });
    const logsExport = cli(['logs', 'export', '--out', join(directory, 'logs.jsonl')]);
    assert.equal(logsExport.status, 0, logsExport.stderr.toString());
    places['logs export file'] = readFileSync(join(directory, 'logs.jsonl'));
    places['logs export output'] = `${logsExport.stdout}${logsExport.stderr}`;
    const cacheExport = cli(['cache', 'export', '--out', join(directory, 'cache-export.db')]);
    assert.equal(cacheExport.status, 0, cacheExport.stderr.toString());
    places['cache export output'] = `${cacheExport.stdout}${cacheExport.stderr}`;
    for (const file of readdirSync(directory).filter((name) => /\.db(-wal|-shm)?$/.test(name))) {
      if (existsSync(join(directory, file))) places[`file ${file}`] = readFileSync(join(directory, file));
    }
    assert.ok(places['logs export file'].length > 1000, 'the export holds the traffic');
    t.diagnostic(`searched ${Object.keys(places).length} places for ${Object.keys(secrets).length} secrets after statuses ${statuses.join(',')}`);
    assert.deepEqual(findLeaks(places), []);
  });
});
