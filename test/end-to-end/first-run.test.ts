// The first run of a fresh clone: `npm start` (scripts/start.mjs, the built packages) with no
// provider key answers a request that names no provider, through the simulated teacher.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { freePort } from '../helpers/free-port.ts';
import { repositoryRoot } from '../helpers/start-gateway-process.ts';

/** The shipped configuration, with the simulated teacher moved to a free port. */
async function shippedConfig(): Promise<{ path: string; simulatedPort: number }> {
  const simulatedPort = await freePort();
  const text = readFileSync(join(repositoryRoot, 'gateway.config.yaml'), 'utf8').replaceAll(
    'http://127.0.0.1:8000/v1',
    `http://127.0.0.1:${simulatedPort}/v1`,
  );
  const path = join(mkdtempSync(join(tmpdir(), 'first-run-')), 'gateway.config.yaml');
  writeFileSync(path, text);
  return { path, simulatedPort };
}

function npmStart(config: string, environment: Record<string, string>) {
  const env: Record<string, string | undefined> = { ...process.env, ...environment };
  for (const name of ['OPENAI_API_KEY', 'GEMINI_API_KEY']) if (!(name in environment)) delete env[name];
  const child = spawn(process.execPath, ['scripts/start.mjs', '--config', config, '--db', ':memory:', '--port', '0'], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const url = new Promise<string>((resolve, reject) => {
    void exited.then((status) => reject(new Error(`npm start exited (${String(status)}): ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const record = JSON.parse(line) as { msg?: string; url?: string };
      if (record.msg === 'listening' && record.url) resolve(record.url);
    });
  });
  return { child, url, exited, stderr: () => stderr };
}

const request = {
  template: 'minigrid-lvlm2p',
  observation: {
    image: `data:image/png;base64,${readFileSync(join(repositoryRoot, 'examples/frames/doorkey-5x5-seed0.png')).toString('base64')}`,
    text: 'use the key to open the door and then get to the goal',
  },
  actions: { kind: 'discrete', labels: ['turn left', 'turn right', 'move forward', 'pick up', 'drop', 'toggle', 'done'] },
};

describe('npm start on a fresh clone', () => {
  test('with no key, starts the simulated teacher, says so in one line, and answers a request without provider', async () => {
    const { path } = await shippedConfig();
    const started = npmStart(path, {});
    try {
      const url = await started.url;
      const notices = started.stderr().split('\n').filter((line) => line.includes('simulated teacher'));
      assert.equal(notices.length, 1, started.stderr());
      assert.match(notices[0]!, /no OPENAI_API_KEY or GEMINI_API_KEY set/);
      const response = await fetch(`${url}/v1/suggestions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as { probs?: number[]; provider?: string; fallbackFrom?: string };
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.provider, 'simulated');
      assert.equal(body.fallbackFrom, 'openai-mini');
      assert.equal(body.probs?.length, 7);
      assert.ok(Math.abs(body.probs!.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    } finally {
      started.child.kill('SIGTERM');
    }
    assert.equal(await started.exited, 0, 'SIGTERM stops the gateway cleanly');
  });

  test('with a key set, leaves the simulated teacher off and the keyed provider first', async () => {
    const { path, simulatedPort } = await shippedConfig();
    const started = npmStart(path, { OPENAI_API_KEY: 'sk-test-not-a-key' });
    try {
      const url = await started.url;
      assert.doesNotMatch(started.stderr(), /simulated teacher/);
      const providers = (await (await fetch(`${url}/v1/providers`)).json()) as { providers: { id: string; available: boolean; isDefault: boolean }[] };
      assert.deepEqual(providers.providers.find((p) => p.isDefault)?.id, 'openai-mini');
      await assert.rejects(fetch(`http://127.0.0.1:${simulatedPort}/v1/models`), 'nothing listens on the simulated port');
    } finally {
      started.child.kill('SIGINT');
    }
    assert.equal(await started.exited, 0, 'SIGINT stops the gateway cleanly');
  });

  test('SIGTERM to `npm start` (npm itself) stops the gateway and frees its port', async () => {
    const { path } = await shippedConfig();
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.OPENAI_API_KEY;
    delete env.GEMINI_API_KEY;
    const npm = spawn('npm', ['start', '--', '--config', path, '--db', ':memory:', '--port', '0'], { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      npm.once('exit', (code) => reject(new Error(`npm start exited (${String(code)})`)));
      createInterface({ input: npm.stdout }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === 'listening' && record.url) resolve(record.url);
      });
    });
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    npm.kill('SIGTERM');
    await exited;
    // The gateway was npm's child: once it is gone, nothing answers at its URL.
    for (let attempt = 0; ; attempt += 1) {
      const refused = await fetch(`${url}/healthz`).then(
        () => false,
        () => true,
      );
      if (refused) break;
      assert.ok(attempt < 50, 'the gateway still answers after SIGTERM to npm start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  test('`npm start -- label ...` refuses instead of serving', () => {
    const result = spawnSync(process.execPath, ['gateway/bin/teacher-gateway.js', 'serve', 'label', '--in', 'x.jsonl'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /serve takes no operands, got "label".*teacher-gateway <command>/);
  });
});
