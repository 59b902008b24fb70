import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startGatewayWithStandIn } from '../helpers/start-gateway-with-stand-in.ts';
import type { EndToEndGateway } from '../helpers/start-gateway-with-stand-in.ts';

const run = promisify(execFile);
const examples = fileURLToPath(new URL('../../examples/python/', import.meta.url));
// The package's source tree, so these tests need no `pip install ./clients/python`.
const pythonPackage = fileURLToPath(new URL('../../clients/python/src/', import.meta.url));

async function python(args: string[]): Promise<string> {
  const { stdout } = await run('python3', args, {
    cwd: examples,
    timeout: 60_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: pythonPackage },
  });
  return stdout;
}

describe('Python client (clients/python) → listening gateway → OpenAI stand-in', () => {
  let gateway: EndToEndGateway;
  before(async () => {
    gateway = await startGatewayWithStandIn({ tokens: ['py-token'] });
  });
  after(() => gateway.close());

  test('the Gymnasium-style example gets a teacher distribution for every env at every step', async () => {
    const stdout = await python([
      'gym_teacher_example.py',
      '--gateway',
      gateway.url,
      '--token',
      'py-token',
      '--steps',
      '6',
      '--envs',
      '3',
    ]);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.filter((line) => line.startsWith('step ')).length, 18, stdout);
    const summary = JSON.parse(lines.at(-1) ?? '') as {
      steps: number;
      envs: number;
      suggestions: number;
      cache: Record<string, number>;
      meanEntropy: number;
      uploadedImages: number;
    };
    assert.equal(summary.steps, 6);
    assert.equal(summary.envs, 3);
    assert.equal(summary.suggestions, 18);
    assert.ok((summary.cache.miss ?? 0) >= 1, JSON.stringify(summary));
    assert.ok(
      (summary.cache.hit ?? 0) + (summary.cache.coalesced ?? 0) >= 1,
      'corridor frames repeat, so some answers come from the cache',
    );
    assert.ok(summary.meanEntropy > 0);
    assert.ok(summary.uploadedImages >= 1);
    assert.ok(
      gateway.standIn.calls.length <= summary.uploadedImages,
      'one upstream call per distinct frame at most',
    );
  });

  test('errors arrive as GatewayError with code, status and retryable; batches keep per-item errors', async () => {
    const script = `
import hashlib, json
from teacher_gateway import GatewayError, TeacherGateway, png_from_rgb, png_data_url
labels = {"kind": "discrete", "labels": ["left", "right"]}
out = {}
try:
    TeacherGateway(${JSON.stringify(gateway.url)}, retries=0).health()
    TeacherGateway(${JSON.stringify(gateway.url)}, retries=0).providers()
except GatewayError as error:
    out["noToken"] = [error.code, error.status, error.retryable]
client = TeacherGateway(${JSON.stringify(gateway.url)}, token="py-token", retries=0)
png = png_from_rgb(2, 1, [[[255, 0, 0], [0, 0, 255]]])
stored = client.upload_image(png)
out["sha256Matches"] = stored["sha256"] == hashlib.sha256(png).hexdigest()
out["dataUrlStored"] = client.upload_image(png_data_url(png))["created"]
try:
    client.suggest("no-such-template", {"text": "x"}, labels)
except GatewayError as error:
    out["notFound"] = [error.code, error.status, error.retryable]
results = client.suggest_batch([
    client.request("minigrid-lvlm2p", {"image": {"sha256": stored["sha256"]}, "text": "go"}, labels),
    client.request("minigrid-lvlm2p", {"text": "x"}, {"kind": "discrete", "labels": []}),
])
out["batch"] = [r["cache"] if isinstance(r, dict) else [r.code, r.status] for r in results]
print(json.dumps(out))
`;
    const result = JSON.parse((await python(['-c', script])).trim()) as Record<string, unknown>;
    assert.deepEqual(result, {
      noToken: ['unauthorized', 401, false],
      sha256Matches: true,
      dataUrlStored: false,
      notFound: ['not_found', 404, false],
      batch: ['miss', ['invalid_request', 400]],
    });
  });
});
