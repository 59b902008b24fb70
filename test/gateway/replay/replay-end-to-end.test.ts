import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Suggestion } from '@teacher-gateway/client';
import { SuggestionSchema } from '@teacher-gateway/client';
import { exportCache } from '@teacher-gateway/gateway/internal/commands/export-cache';
import { importCache } from '@teacher-gateway/gateway/internal/commands/import-cache';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { openReadOnlyDatabase } from '@teacher-gateway/gateway/internal/stores/open-read-only-database';
import { createSqliteStorageRows } from '@teacher-gateway/gateway/internal/stores/sqlite-storage-rows';
import { createStandInGateway } from '../../helpers/create-stand-in-gateway.ts';
import { createTestGateway, minigridActions, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import type { ScriptedAnswer } from '../../stand-ins/start-stand-in-server.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

const directory = mkdtempSync(join(tmpdir(), 'replay-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const run = 'doorkey-lvlm2p-s1';
const letters = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];

/**
 * Answers that differ from request to request (and from sample to sample), so a replay that
 * served the wrong entry could not pass by accident.
 */
let upstreamCall = 0;
function variedAnswer(body: unknown, choiceIndex: number): ScriptedAnswer {
  const request = body as { response_format?: unknown; messages: unknown };
  // Like a sampled model, the same prompt asked twice may answer differently.
  if (choiceIndex === 0) upstreamCall += 1;
  const digest = createHash('sha256').update(JSON.stringify(request.messages)).update(`${upstreamCall}:${choiceIndex}`).digest();
  const weights = letters.map((_, index) => 1 + (digest[index] ?? 0));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (request.response_format !== undefined) {
    // A verbalized distribution: the model writes the probabilities as JSON.
    return { text: JSON.stringify(Object.fromEntries(letters.map((letter, index) => [letter, Number(((weights[index] ?? 1) / total).toFixed(3))]))) };
  }
  const top = letters.map((token, index) => ({ token, logprob: Math.log((weights[index] ?? 1) / total) }));
  const best = top.reduce((a, b) => (b.logprob > a.logprob ? b : a));
  return { text: best.token, logprobs: [{ ...best, top }] };
}

/** The answer part of a suggestion: everything but the per-request id, latency and cache outcome. */
function answerOf(suggestion: Suggestion) {
  const { id: _id, latencyMs: _latency, cache: _cache, usage, ...answer } = suggestion;
  return { ...answer, usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } };
}

describe('offline replay of a recorded run', () => {
  test('record against a provider, export, import elsewhere, replay bit for bit with no upstream call', { timeout: 60_000 }, async (t) => {
    // 1. Record the run against the OpenAI stand-in over loopback.
    const apiKey = 'sk-test-replay-0123456789';
    const standIn = await startOpenAIStandIn({ apiKey });
    t.after(() => standIn.close());
    standIn.respondWith(variedAnswer);
    const recordingDatabase = openDatabase(join(directory, 'recording.db'));
    t.after(() => recordingDatabase.open && recordingDatabase.close());
    const recorder = createStandInGateway({ baseURL: standIn.url, apiKey, mode: 'record', database: recordingDatabase });
    const uploaded = (await (await recorder.post('/v1/images', { image: distinctPng(999) })).json()) as { sha256: string };
    const requests: Record<string, unknown>[] = [
      ...Array.from({ length: 6 }, (_, step) =>
        suggestionRequest({ observation: { image: distinctPng(step), text: 'use the key to open the door and then get to the goal' }, tags: { run, episode: 1, step } }),
      ),
      suggestionRequest({ observation: { image: { sha256: uploaded.sha256 }, text: 'get to the goal' }, tags: { run, step: 6 } }),
      suggestionRequest({ template: 'minigrid-text', observation: { text: 'a door is ahead' }, tags: { run, step: 7 } }),
      suggestionRequest({ template: 'minigrid-lvlm2p-verbalized', observation: { image: distinctPng(8), text: 'pick up the key' }, tags: { run, step: 8 } }),
      // A stochastic teacher: four seeds fill four sample slots of one key.
      ...[0, 1, 2, 3].map((seed) =>
        suggestionRequest({ observation: { image: distinctPng(9), text: 'open the door' }, distribution: { method: 'samples', samples: 5 }, seed, tags: { run, step: 9 } }),
      ),
    ];
    const recorded: Suggestion[] = [];
    for (const request of requests) {
      const response = await recorder.post('/v1/suggestions', request);
      assert.equal(response.status, 200, await response.clone().text());
      recorded.push(SuggestionSchema.parse(await response.json()));
    }
    const batch = (await (await recorder.post('/v1/suggestions:batch', {
      requests: [10, 11].map((step) => suggestionRequest({ observation: { image: distinctPng(step), text: 'batch' }, tags: { run, step } })),
    })).json()) as { results: unknown[] };
    for (const [index, result] of batch.results.entries()) {
      recorded.push(SuggestionSchema.parse(result));
      requests.push(suggestionRequest({ observation: { image: distinctPng(10 + index), text: 'batch' }, tags: { run, step: 10 + index } }));
    }
    // Another run's entries stay behind.
    await recorder.post('/v1/suggestions', suggestionRequest({ observation: { image: distinctPng(50), text: 'elsewhere' }, tags: { run: 'other-run' } }));
    assert.ok(recorded.every((suggestion) => suggestion.cache === 'miss'));
    assert.equal(new Set(recorded.map((suggestion) => JSON.stringify(suggestion.probs))).size > 8, true, 'answers vary');
    assert.equal(new Set(recorded.slice(9, 13).map((suggestion) => JSON.stringify(suggestion.probs))).size, 4, 'each sample slot has its own answer');
    await recorder.flush();
    const callsWhileRecording = standIn.calls.length;
    assert.ok(callsWhileRecording >= requests.length);
    await standIn.close();

    // 2. Export the run's cache to a file and import it into a fresh database.
    const file = join(directory, `${run}.db`);
    const exportTarget = openDatabase(file);
    const exported = await exportCache({ source: createSqliteStorageRows(recordingDatabase), target: createSqliteStorageRows(exportTarget), run });
    exportTarget.close();
    recordingDatabase.close();
    assert.equal(exported.entries, requests.length);
    const replayDatabase = openDatabase(join(directory, 'replay.db'));
    t.after(() => replayDatabase.open && replayDatabase.close());
    const source = openReadOnlyDatabase(file);
    const imported = await importCache({ source: createSqliteStorageRows(source), target: createSqliteStorageRows(replayDatabase) });
    source.close();
    assert.equal(imported.entries.added, requests.length);

    // 3. Replay with no key configured and a provider that fails the test if anything calls it.
    const tripwire = createFakeProvider({ id: 'openai-mini', model: 'gpt-4o-mini' });
    tripwire.doGenerate = () => assert.fail('replay called upstream');
    const replayer = createTestGateway({
      yaml: `storage: { path: ":memory:" }
cache: { mode: replay }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: "\${OPENAI_API_KEY}" }
`,
      environment: {},
      providers: { 'openai-mini': tripwire },
      database: replayDatabase,
    });
    const health = (await (await replayer.get('/healthz')).json()) as { status: string; mode: string };
    assert.deepEqual([health.status, health.mode], ['ok', 'replay']);
    for (const [index, request] of requests.entries()) {
      const response = await replayer.post('/v1/suggestions', request);
      assert.equal(response.status, 200, await response.clone().text());
      const replayed = SuggestionSchema.parse(await response.json());
      assert.equal(replayed.cache, 'replayed');
      assert.equal(replayed.usage.upstreamCalls, 0);
      const original = recorded[index] as Suggestion;
      assert.deepEqual(answerOf(replayed), answerOf(original), `request ${index}`);
      assert.equal(JSON.stringify(replayed.probs), JSON.stringify(original.probs), 'the same floats, digit for digit');
    }
    assert.equal(tripwire.calls.length, 0);

    // 4. Something never recorded: 404 not_cached naming the nearest recorded request and what differs.
    const unseen = suggestionRequest({
      observation: { image: distinctPng(3), text: 'use the key to open the door and then get to the goal' },
      actions: { ...minigridActions, labels: [...minigridActions.labels.slice(0, 6)] },
      tags: { run },
    });
    const miss = await replayer.post('/v1/suggestions', unseen);
    assert.equal(miss.status, 404);
    const error = ((await miss.json()) as { error: { code: string; details: { key: string; nearest?: { requestId: string; differs: string[] } } } }).error;
    assert.equal(error.code, 'not_cached');
    assert.match(error.details.key, /^[0-9a-f]{64}$/);
    assert.equal(error.details.nearest?.requestId, recorded[3]?.id, 'the step-3 request shares everything but the action set');
    const nearest = (await (await replayer.get(`/v1/logs/${recorded[3]?.id}`)).json()) as { cache: string; upstreamCalls: unknown[] };
    assert.equal(nearest.cache, 'miss', 'the nearest request came with the export and can be read here');
    assert.ok(nearest.upstreamCalls.length >= 1);
    assert.deepEqual(error.details.nearest?.differs, ['actions']);
    const otherRun = await replayer.post('/v1/suggestions', suggestionRequest({ observation: { image: distinctPng(50), text: 'elsewhere' } }));
    assert.equal(otherRun.status, 404, 'the other run was not exported');
    assert.equal(tripwire.calls.length, 0);
    await replayer.flush();
    const log = (await (await replayer.get('/v1/logs?cache=replayed')).json()) as { entries: { id: string }[] };
    assert.equal(log.entries.length, requests.length, 'replays are audited too');
    // On the importing machine a replayed answer shows the prompt that first produced it.
    for (const entry of log.entries) {
      const detail = (await (await replayer.get(`/v1/logs/${entry.id}`)).json()) as { prompt?: string };
      assert.match(detail.prompt ?? '', /Mission:/, `replayed ${entry.id} has its prompt`);
    }
    replayDatabase.close();
  });
});
