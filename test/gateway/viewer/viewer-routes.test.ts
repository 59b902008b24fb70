import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { queryRequestRows } from '@teacher-gateway/gateway/internal/stores/query-request-rows';
import { summarizeRuns } from '@teacher-gateway/gateway/internal/stores/summarize-runs';
import { recordedTrafficYaml, seedRecordedTraffic } from '../../helpers/seed-recorded-traffic.ts';

const page = async (response: Response | Promise<Response>) => {
  const resolved = await response;
  return { status: resolved.status, headers: resolved.headers, html: await resolved.text() };
};

describe('the audit viewer', () => {
  test('lists requests newest first and filters by run, model, cache and status', async () => {
    const { gateway } = await seedRecordedTraffic();
    const all = await page(gateway.get('/ui'));
    assert.equal(all.status, 200);
    assert.match(all.headers.get('content-type') ?? '', /text\/html/);
    assert.match(all.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.ok(all.html.startsWith('<!doctype html>'));
    const rows = (html: string) =>
      [...html.matchAll(/<tr data-id="([^"]+)"/g)].map((match) => match[1]);
    assert.equal(rows(all.html).length, 5);
    assert.equal(rows((await page(gateway.get('/ui?run=ppo-b'))).html).length, 1);
    assert.equal(rows((await page(gateway.get('/ui?model=other-model'))).html).length, 1);
    assert.equal(rows((await page(gateway.get('/ui?run=ppo-a&cache=hit'))).html).length, 1);
    assert.equal(rows((await page(gateway.get('/ui?status=error'))).html).length, 1);
    assert.equal(rows((await page(gateway.get('/ui?since=2999-01-01T00:00'))).html).length, 0);
    const bad = await page(gateway.get('/ui?since=yesterday'));
    assert.match(bad.html, /since is not a time/);
  });

  test('pages by cursor without repeating or skipping a request', async () => {
    const { gateway } = await seedRecordedTraffic();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const result = queryRequestRows(gateway.database, {}, 2, cursor);
      seen.push(...result.rows.map((row) => row.id));
      cursor = result.nextCursor;
    } while (cursor);
    const expected = gateway.database
      .prepare<[], { id: string }>('SELECT id FROM requests ORDER BY time DESC, id DESC')
      .all();
    assert.deepEqual(
      seen,
      expected.map((row) => row.id),
    );
    const first = await page(gateway.get('/ui'));
    assert.doesNotMatch(first.html, /rel="next"/, 'five requests fit on one page of 25 or more');
  });

  test('the detail page shows the image, the prompt, each attempt and one bar per action label, all escaped', async () => {
    const { gateway, ids } = await seedRecordedTraffic();
    const detail = await page(gateway.get(`/ui/requests/${ids.retried}`));
    assert.equal(detail.status, 200);
    assert.match(detail.html, /<img id="observation-image" src="\/v1\/images\/[0-9a-f]{64}"/);
    assert.equal([...detail.html.matchAll(/<rect class="bar( chosen)?"/g)].length, 7);
    assert.equal(
      [...detail.html.matchAll(/class="upstream-call"/g)].length,
      2,
      'a 503, then the answer',
    );
    assert.match(detail.html, /1 retry/);
    assert.match(detail.html, /api\.example\.test/);
    assert.doesNotMatch(detail.html, /<script>alert|<img src=x/);
    assert.match(detail.html, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
    const missing = await page(gateway.get('/ui/requests/sug_nope'));
    assert.equal(missing.status, 404);
    assert.match(missing.html, /sug_nope/);
  });

  test('run summaries count requests, calls, cache use, tokens, cost, savings, errors and agreement', async () => {
    const { gateway } = await seedRecordedTraffic();
    const pricing = new Map([['fake', { inputPerMillion: 150, outputPerMillion: 600 }]]);
    const [b, a] = summarizeRuns(gateway.database, { pricing });
    assert.equal(a?.run, 'ppo-a');
    assert.equal(a.requests, 4);
    assert.equal(a.upstreamCalls, 1 + 0 + 2 + 1, 'miss, hit, retried miss, failed call');
    assert.deepEqual(a.cache, { hit: 1, miss: 2, coalesced: 0, replayed: 0 });
    assert.equal(a.hitRate, 1 / 3);
    assert.deepEqual(a.tokens, { input: 1624, output: 2 });
    assert.deepEqual(a.savedTokens, { input: 812, output: 1 });
    assert.ok(Math.abs((a.costUsd ?? 0) - (1624 * 150 + 2 * 600) / 1e6) < 1e-12);
    assert.ok(Math.abs((a.savingsUsd ?? 0) - (812 * 150 + 600) / 1e6) < 1e-12);
    assert.equal(a.errors, 1);
    assert.deepEqual(a.errorsByCode, { provider_error: 1 });
    assert.deepEqual(a.agreement, { compared: 2, agreed: 1 });
    assert.equal(b?.run, 'ppo-b');
    assert.equal(b.costUsd, undefined, 'provider "other" has no pricing');
    assert.deepEqual(b.agreement, { compared: 1, agreed: 1 });
    assert.deepEqual(
      summarizeRuns(gateway.database, { pricing, run: 'ppo-b' }).map((summary) => summary.run),
      ['ppo-b'],
    );
    const runs = await page(gateway.get('/ui/runs'));
    assert.match(runs.html, /data-run="ppo-a"/);
    assert.match(runs.html, /\$0\.24/);
    assert.match(runs.html, /50\.0%/);
  });

  test('with auth on, pages take ?token= once, then a cookie that also opens images and nothing else', async () => {
    const { gateway, ids } = await seedRecordedTraffic({
      yaml: `${recordedTrafficYaml}auth: { tokens: ["\${GATEWAY_TOKEN}"] }\n`,
      environment: { GATEWAY_TOKEN: 'sesame' },
    });
    assert.equal((await gateway.get('/ui')).status, 401);
    assert.equal((await gateway.get('/ui?token=wrong')).status, 401);
    const login = await gateway.get('/ui/runs?token=sesame&x=1');
    assert.equal(login.status, 303);
    assert.equal(login.headers.get('location'), '/ui/runs?x=1');
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const cookie = setCookie.split(';')[0] ?? '';
    const withCookie = (path: string, init: RequestInit = {}) =>
      gateway.app.request(path, { ...init, headers: { cookie } });
    assert.equal((await withCookie('/ui')).status, 200);
    const detail = await (await withCookie(`/ui/requests/${ids.miss}`)).text();
    const image = /src="(\/v1\/images\/[0-9a-f]{64})"/.exec(detail)?.[1] ?? '';
    const imageResponse = await withCookie(image);
    assert.equal(imageResponse.status, 200);
    assert.equal(imageResponse.headers.get('content-type'), 'image/png');
    assert.equal(
      (await withCookie('/v1/logs')).status,
      401,
      'the cookie opens images, not the API',
    );
    assert.equal((await withCookie('/v1/suggestions', { method: 'POST' })).status, 401);
    assert.equal(
      (await gateway.app.request('/ui', { headers: { cookie: 'teacher_gateway_token=wrong' } }))
        .status,
      401,
    );
    const header = await gateway.app.request('/ui', {
      headers: { authorization: 'Bearer sesame' },
    });
    assert.equal(header.status, 200);
  });
});
