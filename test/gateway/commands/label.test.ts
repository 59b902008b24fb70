import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { label } from '@teacher-gateway/gateway/internal/commands/label';
import type { LabelOptions, LabelResult, LabelState } from '@teacher-gateway/gateway/internal/commands/label';
import type { VisionLanguageModel } from '@teacher-gateway/gateway/internal/providers/provider';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createStandInGateway } from '../../helpers/create-stand-in-gateway.ts';
import { createTestGateway, minigridActions, tinyPng } from '../../helpers/create-test-gateway.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

const apiKey = 'sk-test-label-0000000000000000';
const standIn = await startOpenAIStandIn({ apiKey });
after(() => standIn.close());

const missions = ['get to the goal', 'open the door', 'pick up the key', 'open the door'];
const lines = missions.map((text) => JSON.stringify({ image: tinyPng, text }));
const defaults = { template: 'minigrid-lvlm2p', actions: minigridActions.labels };

function memoryState(): LabelOptions['state'] & { saved: LabelState | undefined } {
  const holder: { saved: LabelState | undefined } = { saved: undefined };
  return {
    get saved() {
      return holder.saved;
    },
    load: () =>
      holder.saved ? (JSON.parse(JSON.stringify(holder.saved)) as LabelState) : undefined,
    save: (state) => {
      holder.saved = JSON.parse(JSON.stringify(state)) as LabelState;
    },
  };
}

const count = (method: string, path: string | RegExp) =>
  standIn.calls.filter(
    (call) =>
      call.method === method &&
      (typeof path === 'string' ? call.path === path : path.test(call.path)),
  ).length;

test('a label run through the Batch API fills the cache that live requests read', async () => {
  const gateway = createStandInGateway({ baseURL: standIn.url, apiKey });
  const before = standIn.calls.length;
  const results: LabelResult[] = [];
  const events: string[] = [];
  const summary = await label({
    service: gateway.service,
    lines,
    defaults,
    state: memoryState(),
    output: (result) => results.push(result),
    progress: (event) =>
      events.push(event.type === 'polled' ? `polled ${event.status}` : event.type),
    sleep: async () => {},
    pollIntervalMs: 0,
    concurrency: 4,
  });
  const calls = standIn.calls.slice(before);
  assert.deepEqual(
    calls
      .map((call) => `${call.method} ${call.path.replace(/(file|batch)[-_][0-9a-f]+/g, '$1')}`)
      .slice(0, 2),
    ['POST /v1/files', 'POST /v1/batches'],
  );
  assert.equal(
    calls.filter((call) => call.path === '/v1/chat/completions').length,
    0,
    'nothing went through the live endpoint',
  );
  assert.deepEqual(events, ['submitted', 'polled in_progress', 'polled finalizing']);
  assert.equal(
    summary.labelled,
    4,
    'the repeated observation is asked once and reported for both lines',
  );
  const upload = calls[0]?.body as string;
  assert.match(upload, /name="purpose"\r\n\r\nbatch/);
  assert.equal(upload.match(/"custom_id"/g)?.length, 3);
  assert.ok(results.every((result) => result.status === 'labelled' && result.action === 2));

  const live = await gateway.post('/v1/suggestions', {
    template: 'minigrid-lvlm2p',
    observation: { image: tinyPng, text: 'open the door' },
    actions: minigridActions,
  });
  const body = (await live.json()) as { cache: string; action: number; cacheKey: string };
  assert.equal(body.cache, 'hit');
  assert.equal(body.action, 2);
  assert.equal(body.cacheKey, results[1]?.cacheKey);
  assert.equal(
    standIn.calls.slice(before).filter((call) => call.path === '/v1/chat/completions').length,
    0,
  );

  // Each labelled slot is in the audit log as a miss, with the batch line as its upstream call.
  type Listed = { entries: { id: string; cache: string; cacheKey: string; prompt?: string }[] };
  const misses = ((await (await gateway.get('/v1/logs?cache=miss')).json()) as Listed).entries;
  assert.equal(misses.length, 3);
  assert.deepEqual(
    new Set(misses.map((entry) => entry.cacheKey)),
    new Set(results.map((result) => result.cacheKey)),
  );
  type Detail = {
    prompt?: string;
    result: { cache: string; action: number };
    upstreamCalls: { url: string; status: number; requestBody: { messages: unknown[] }; responseBody: { choices: unknown[] } }[];
  };
  const labelled = (await (await gateway.get(`/v1/logs/${misses[0]?.id}`)).json()) as Detail;
  assert.match(labelled.prompt ?? '', /Mission/);
  assert.equal(labelled.result.action, 2);
  assert.equal(labelled.upstreamCalls.length, 1);
  assert.equal(labelled.upstreamCalls[0]?.url, 'batch:/v1/chat/completions');
  assert.equal(labelled.upstreamCalls[0]?.status, 200);
  assert.ok(labelled.upstreamCalls[0]?.requestBody.messages.length);
  assert.ok(labelled.upstreamCalls[0]?.responseBody.choices.length);
  assert.doesNotMatch(JSON.stringify(labelled), /iVBORw0KGgo/, 'the image is logged by its hash');
  // The live hit on a labelled entry shows the prompt that filled it.
  const hit = (await (await gateway.get(`/v1/logs?cache=hit`)).json()) as Listed;
  const hitDetail = (await (await gateway.get(`/v1/logs/${hit.entries[0]?.id}`)).json()) as Detail;
  assert.match(hitDetail.prompt ?? '', /open the door/);
});

test('an interrupted label run resumes its batch without submitting again', async () => {
  const gateway = createStandInGateway({ baseURL: standIn.url, apiKey });
  const state = memoryState();
  const controller = new AbortController();
  const options = (signal?: AbortSignal): LabelOptions => ({
    service: gateway.service,
    lines,
    defaults,
    state,
    output: () => {},
    // The first run is killed while it waits for its batch.
    progress: (event) => {
      if (event.type === 'polled') controller.abort(new Error('killed'));
    },
    sleep: async (_ms, sleepSignal) => {
      if (sleepSignal?.aborted) throw sleepSignal.reason as Error;
    },
    pollIntervalMs: 0,
    concurrency: 4,
    ...(signal ? { signal } : {}),
  });
  const batchesBefore = count('POST', '/v1/batches');
  await assert.rejects(label(options(controller.signal)), /killed/);
  assert.equal(count('POST', '/v1/batches'), batchesBefore + 1);
  assert.equal(state.saved?.batches.length, 1);
  assert.equal(state.saved?.batches[0]?.processed, false);

  const results: LabelResult[] = [];
  const summary = await label({
    ...options(),
    output: (result) => results.push(result),
    progress: () => {},
  });
  assert.equal(
    count('POST', '/v1/batches'),
    batchesBefore + 1,
    'the rerun polls the batch it left',
  );
  assert.equal(count('POST', '/v1/files'), batchesBefore + 1);
  assert.equal(summary.labelled, 4);
  assert.equal(state.saved?.batches[0]?.processed, true);
  assert.equal(state.saved?.done.length, 3);

  // A third run finds everything cached and submits nothing.
  const third = await label({ ...options(), progress: () => {} });
  assert.equal(third.cached, 4);
  assert.equal(count('POST', '/v1/batches'), batchesBefore + 1);
});

test('an answer the parsers cannot use is reported, not cached, and asked again next run', async () => {
  const gateway = createStandInGateway({ baseURL: standIn.url, apiKey });
  const state = memoryState();
  const run = async () => {
    const results: LabelResult[] = [];
    const summary = await label({
      service: gateway.service,
      lines: [JSON.stringify({ image: tinyPng, text: 'a mission only this test uses' })],
      defaults,
      state,
      output: (result) => results.push(result),
      sleep: async () => {},
      pollIntervalMs: 0,
      concurrency: 1,
    });
    return { summary, results };
  };
  standIn.respondWith(() => ({
    text: 'Hmm',
    logprobs: [{ token: 'Hmm', logprob: -0.1, top: [{ token: 'Hmm', logprob: -0.1 }] }],
  }));
  const batchesBefore = count('POST', '/v1/batches');
  try {
    const first = await run();
    assert.equal(first.summary.failed, 1);
    assert.match(first.results[0]?.error ?? '', /./);
    // Logged as the error a live request would get, with the answer that could not be used.
    const errors = (await (await gateway.get('/v1/logs?status=unparsable_response')).json()) as { entries: { id: string; status: number }[] };
    assert.equal(errors.entries.length, 1);
    const detail = (await (await gateway.get(`/v1/logs/${errors.entries[0]?.id}`)).json()) as { upstreamCalls: { responseBody: unknown }[] };
    assert.match(JSON.stringify(detail.upstreamCalls[0]?.responseBody), /Hmm/);
  } finally {
    standIn.respondWith(undefined);
  }
  const second = await run();
  assert.equal(second.summary.labelled, 1);
  assert.equal(count('POST', '/v1/batches'), batchesBefore + 2);
});

test('providers without a batch API are labelled with plain calls through the pipeline', async () => {
  const fake = createFakeProvider();
  const gateway = createTestGateway({ providers: { fake: fake as VisionLanguageModel } });
  const results: LabelResult[] = [];
  const summary = await label({
    service: gateway.service,
    lines: [
      ...lines,
      'not json',
      JSON.stringify({
        template: 'minigrid-lvlm2p',
        observation: { image: tinyPng, text: 'full request line' },
        actions: minigridActions,
      }),
    ],
    defaults,
    state: memoryState(),
    output: (result) => results.push(result),
    sleep: async () => {},
    pollIntervalMs: 0,
    concurrency: 4,
  });
  assert.equal(summary.failed, 1);
  assert.equal(results.find((result) => result.line === 5)?.error, 'not a JSON line');
  assert.equal(summary.labelled + summary.cached, 5);
  assert.ok(fake.calls.length <= 4, 'the repeated observation is answered once');
  const live = await gateway.post('/v1/suggestions', {
    template: 'minigrid-lvlm2p',
    observation: { image: tinyPng, text: 'full request line' },
    actions: minigridActions,
  });
  assert.equal(((await live.json()) as { cache: string }).cache, 'hit');
});
