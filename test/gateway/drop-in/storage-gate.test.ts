import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { DropInGateway } from '../../helpers/start-drop-in-gateway.ts';
import { startDropInGateway } from '../../helpers/start-drop-in-gateway.ts';
import { minigridActions, tinyPng } from '../../helpers/create-test-gateway.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import type { OpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

let openai: OpenAIStandIn;
let drop: DropInGateway;
const database = openDatabase(':memory:');

before(async () => {
  openai = await startOpenAIStandIn();
  openai.respondWith(() => ({ text: 'A' }));
  drop = await startDropInGateway({
    database,
    yaml: `storage: { path: ":memory:" }
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-a, baseURL: "${openai.url}", maxRetries: 0 }
`,
  });
});
after(async () => {
  database.pragma('query_only = OFF');
  await drop.close();
  await openai.close();
});

const chat = (content: string) => ({ model: 'openai-mini', temperature: 0, messages: [{ role: 'user', content }] });

async function send(content: string): Promise<{ status: number; cache: string | null; code: string | undefined }> {
  const response = await drop.gateway.post('/v1/chat/completions', chat(content));
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, cache: response.headers.get('x-teacher-cache'), code: body.error?.code };
}

test('storage that cannot be written: a drop-in miss is refused before it pays for an upstream call, and goes through once storage is back', async () => {
  assert.deepEqual(await send('stored'), { status: 200, cache: 'miss', code: undefined });
  assert.equal(openai.calls.length, 1);

  // What SQLite answers when the file cannot be written: SQLITE_READONLY on every write.
  database.pragma('query_only = ON');
  const first = await send('lost');
  assert.deepEqual([first.status, first.code], [503, 'storage_unavailable'], 'the answer could not be kept');
  assert.equal(openai.calls.length, 2, 'the first miss finds out by paying');
  const refused = await send('refused');
  assert.deepEqual([refused.status, refused.code], [503, 'storage_unavailable']);
  assert.equal(openai.calls.length, 2, 'the next miss is refused before calling upstream');

  database.pragma('query_only = OFF');
  // A hit's audit row commits, which shows storage is back; the miss after it goes upstream.
  assert.deepEqual(await send('stored'), { status: 200, cache: 'hit', code: undefined });
  assert.deepEqual(await send('refused'), { status: 200, cache: 'miss', code: undefined });
  assert.equal(openai.calls.length, 3);
});

test('one gate per gateway: after a drop-in answer could not be kept, a suggestion miss is refused before it calls upstream', async () => {
  const upload = await drop.gateway.post('/v1/images', { image: tinyPng });
  const { sha256 } = (await upload.json()) as { sha256: string };
  database.pragma('query_only = ON');
  try {
    const lost = await send('lost again');
    assert.deepEqual([lost.status, lost.code], [503, 'storage_unavailable']);
    const calls = openai.calls.length;
    // An image already stored, by hash: the suggestion has nothing of its own to write, so only
    // the gate can know that storage is failing.
    const response = await drop.gateway.post('/v1/suggestions', {
      template: 'minigrid-lvlm2p',
      provider: 'openai-mini',
      observation: { image: { sha256 }, text: 'use the key to open the door and then get to the goal' },
      actions: minigridActions,
    });
    const text = await response.text();
    assert.equal(response.status, 503, text);
    assert.match(text, /storage_unavailable/);
    assert.equal(openai.calls.length, calls, 'the suggestion was refused before paying for a call');
  } finally {
    database.pragma('query_only = OFF');
  }
});
