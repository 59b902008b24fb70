import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACTION_LABELS, makeEnv, toPngDataUrl } from '@teacher-gateway/trainer';
import type { GridWorldEnv } from '@teacher-gateway/trainer';
import { planAction } from '@teacher-gateway/trainer/internal/teachers/planner/plan-action';
import { createSimulatedVlmServer } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/create-simulated-vlm-server';
import type { SimulatedVlmServer } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/create-simulated-vlm-server';
import type { SimulatedVlmOptions } from '@teacher-gateway/trainer/internal/teachers/simulated-vlm/simulated-vlm-options';

const LETTERS = 'ABCDEFG';
const SYSTEM =
  'You are an expert player of MiniGrid, a 2D grid world. The red triangle is the agent.';
const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}
interface Completion {
  id: string;
  object: string;
  model: string;
  created: number;
  choices: {
    index: number;
    message: { role: string; content: string | null; refusal: string | null };
    logprobs: { content: TokenLogprob[] | null; refusal: TokenLogprob[] | null } | null;
    finish_reason: string;
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function actionList(count = 7): string {
  return ACTION_LABELS.slice(0, count)
    .map((label, i) => `${LETTERS[i]}. ${label}`)
    .join('\n');
}

/** The user text of prompts/minigrid-lvlm2p.md (choice) or -verbalized (JSON probabilities), as rendered. */
function promptText(mission: string, format: 'choice' | 'json' = 'choice'): string {
  return format === 'choice'
    ? `Mission: ${mission}\n\nWhich action should the agent take next to complete the mission as quickly as possible?\n${actionList()}\n\nAnswer with a single letter (A, B, C, D, E, F, G) and nothing else.`
    : `Mission: ${mission}\n\nHow likely is each action to be the best next step for the agent?\n${actionList()}\n\nReply with only a JSON object that maps every letter to a probability, the probabilities summing\nto 1, for example {"A": 0.1, "B": 0.2, ...}.`;
}

/** A chat-completions body as the gateway's openai-compatible adapter sends it. */
function chatBody(
  imageUrl: string | null,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    model: 'simulated-planner',
    messages: [
      { role: 'system', content: SYSTEM },
      {
        role: 'user',
        content: [
          ...(imageUrl === null ? [] : [{ type: 'image_url', image_url: { url: imageUrl } }]),
          { type: 'text', text },
        ],
      },
    ],
    max_tokens: 16,
    temperature: 0,
    logprobs: true,
    top_logprobs: 20,
    ...extra,
  };
}

function doorKey(seed: number): GridWorldEnv {
  const env = makeEnv('MiniGrid-DoorKey-5x5-v0');
  env.reset(seed);
  return env;
}

function plannedLetter(env: GridWorldEnv): string {
  return LETTERS[planAction(env.snapshot()).action]!;
}

/** The distribution over A..G read from the first answer token's top_logprobs, normalised. */
function letterDistribution(completion: Completion, choice = 0): Record<string, number> {
  const top = completion.choices[choice]?.logprobs?.content?.[0]?.top_logprobs ?? [];
  const mass: Record<string, number> = {};
  for (const entry of top)
    if (LETTERS.includes(entry.token) && entry.token.length === 1)
      mass[entry.token] = Math.exp(entry.logprob);
  const total = Object.values(mass).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(mass).map(([k, v]) => [k, v / total]));
}

const servers: SimulatedVlmServer[] = [];
async function serve(options: SimulatedVlmOptions): Promise<SimulatedVlmServer> {
  const server = await createSimulatedVlmServer({ seed: 7, ...options });
  servers.push(server);
  return server;
}
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function complete(
  server: SimulatedVlmServer,
  body: unknown,
): Promise<{
  status: number;
  headers: Headers;
  json: Completion & { error?: { code: string; message: string } };
}> {
  const response = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer not-needed' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Completion & { error?: { code: string; message: string } },
  };
}

describe('simulated VLM server', () => {
  const env = doorKey(2);
  const frame = toPngDataUrl(env.renderRgb({ tileSize: 8 }));
  const mission = env.snapshot().mission;
  const expected = plannedLetter(env);

  it('at accuracy 1.0 answers the planner letter with OpenAI-shaped logprobs and usage', async () => {
    const server = await serve({ accuracy: 1 });
    const { status, headers, json } = await complete(server, chatBody(frame, promptText(mission)));
    assert.equal(status, 200);
    assert.match(headers.get('x-request-id') ?? '', /^req_/);
    assert.equal(json.object, 'chat.completion');
    assert.equal(json.model, 'simulated-planner');
    assert.match(json.id, /^chatcmpl-/);
    assert.equal(json.choices.length, 1);
    const [choice] = json.choices;
    assert.equal(choice?.message.role, 'assistant');
    assert.equal(choice?.message.content, expected);
    assert.equal(choice?.finish_reason, 'stop');
    const token = choice?.logprobs?.content?.[0];
    assert.equal(token?.token, expected);
    assert.deepEqual(token?.bytes, [expected.charCodeAt(0)]);
    assert.ok((token?.logprob ?? -1) > -0.01);
    assert.equal(token?.top_logprobs.length, 20);
    assert.equal(token?.top_logprobs[0]?.token, expected);
    for (const entry of token?.top_logprobs ?? [])
      assert.deepEqual(entry.bytes, [...Buffer.from(entry.token)]);
    assert.ok(json.usage.prompt_tokens > 0);
    assert.equal(json.usage.completion_tokens, 1);
    assert.equal(json.usage.total_tokens, json.usage.prompt_tokens + 1);
  });

  it('at accuracy 0.8 puts 0.8 on the planner letter and spreads the rest over the others', async () => {
    const server = await serve({ accuracy: 0.8 });
    const { json } = await complete(server, chatBody(frame, promptText(mission)));
    const dist = letterDistribution(json);
    assert.deepEqual(Object.keys(dist).sort(), [...LETTERS]);
    assert.ok(
      Math.abs(dist[expected]! - 0.8) < 1e-3,
      `planner letter ${expected}: ${dist[expected]}`,
    );
    for (const letter of LETTERS) {
      if (letter === expected) continue;
      assert.ok(dist[letter]! > 0.01 && dist[letter]! < 0.1, `${letter}: ${dist[letter]}`);
    }
    assert.equal(json.choices[0]?.message.content, expected, 'greedy at temperature 0');
  });

  it('samples n answers at temperature 1 with the planner letter about accuracy of the time', async () => {
    const server = await serve({ accuracy: 0.8 });
    const { json } = await complete(
      server,
      chatBody(frame, promptText(mission), { n: 100, temperature: 1 }),
    );
    assert.equal(json.choices.length, 100);
    assert.deepEqual(
      json.choices.map((c) => c.index),
      [...Array(100).keys()],
    );
    const hits = json.choices.filter((c) => c.message.content === expected).length;
    assert.ok(hits >= 65 && hits <= 93, `${hits}/100`);
    assert.ok(
      json.choices.every((c) => c.message.content !== null && LETTERS.includes(c.message.content)),
    );
    assert.equal(json.usage.completion_tokens, 100);
  });

  it('answers the verbalized template with a JSON probability object', async () => {
    const server = await serve({ accuracy: 0.8 });
    const { json } = await complete(
      server,
      chatBody(frame, promptText(mission, 'json'), {
        logprobs: false,
        top_logprobs: undefined,
        max_tokens: 100,
      }),
    );
    const content = json.choices[0]?.message.content ?? '';
    const probs = JSON.parse(content) as Record<string, number>;
    assert.deepEqual(Object.keys(probs), [...LETTERS]);
    assert.ok(Math.abs(Object.values(probs).reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const argmax = Object.entries(probs).sort((a, b) => b[1] - a[1])[0]?.[0];
    assert.equal(argmax, expected);
    assert.ok(Math.abs(probs[expected]! - 0.8) < 0.05);
    assert.equal(json.choices[0]?.logprobs, null);
  });

  it('reads the mission and letters from a packed prompt and answers one line per observation', async () => {
    const server = await serve({ accuracy: 1 });
    const other = doorKey(5);
    const user = [
      {
        type: 'text',
        text: 'There are 2 separate observations below. Answer each one on its own.',
      },
      { type: 'text', text: 'Observation 1:' },
      { type: 'image_url', image_url: { url: frame } },
      { type: 'text', text: promptText(mission) },
      { type: 'text', text: 'Observation 2:' },
      { type: 'image_url', image_url: { url: toPngDataUrl(other.renderRgb({ tileSize: 8 })) } },
      { type: 'text', text: promptText(other.snapshot().mission) },
      {
        type: 'text',
        text: 'Reply with exactly 2 lines: line k holds the single letter (A, B, C, D, E, F, G) for observation k, and nothing else.',
      },
    ];
    const { json } = await complete(server, {
      ...chatBody(null, ''),
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: user },
      ],
    });
    assert.equal(json.choices[0]?.message.content, `${expected}\n${plannedLetter(other)}`);
    assert.equal(json.choices[0]?.logprobs?.content?.length, 3);
  });

  it('answers a text-only minigrid-text prompt from the words', async () => {
    const server = await serve({ accuracy: 1 });
    const text = `Mission: use the key to open the door and then get to the goal

The grid is 5 cells wide and 5 cells high.
The agent is at x=1, y=1, facing south.
The agent carries nothing.
Objects:
- a yellow key at x=1, y=3
- a locked yellow door at x=2, y=2
- a green goal at x=3, y=3
- a wall at x=2, y=0
- a wall at x=2, y=1
- a wall at x=2, y=3
- a wall at x=2, y=4
Directly in front of the agent: an empty cell.

Which action should the agent take next?
${actionList()}

Answer with a single letter (A, B, C, D, E, F, G) and nothing else.`;
    const withOuterWalls = text.replace(
      '- a wall at x=2, y=0',
      Array.from(
        { length: 5 },
        (_, i) =>
          `- a wall at x=${i}, y=0\n- a wall at x=${i}, y=4\n- a wall at x=0, y=${i}\n- a wall at x=4, y=${i}`,
      ).join('\n'),
    );
    const { json } = await complete(server, chatBody(null, withOuterWalls));
    assert.equal(json.choices[0]?.message.content, 'C', 'move forward, towards the key');
    const unreadable = await complete(server, chatBody(null, promptText('get to the goal')));
    assert.ok(
      Math.max(...Object.values(letterDistribution(unreadable.json))) < 0.2,
      'no picture, no grid: near uniform',
    );
  });

  it('gives an undecodable or foreign image a near-uniform answer, not an error', async () => {
    const server = await serve({ accuracy: 1 });
    for (const url of [
      TINY_PNG,
      'data:image/png;base64,bm90IGEgcG5n',
      'https://example.com/frame.png',
    ]) {
      const { status, json, headers } = await complete(server, chatBody(url, promptText(mission)));
      assert.equal(status, 200, url);
      const dist = letterDistribution(json);
      assert.equal(Object.keys(dist).length, 7);
      assert.ok(Math.max(...Object.values(dist)) < 0.2, JSON.stringify(dist));
      assert.match(headers.get('x-simulated-vlm-note') ?? '', /image/);
    }
  });

  it('malformed, refusal and rate-limit knobs', async () => {
    const malformed = await serve({ malformed: 1 });
    const bad = await complete(malformed, chatBody(frame, promptText(mission), { n: 3 }));
    assert.equal(bad.status, 200);
    for (const choice of bad.json.choices)
      assert.doesNotMatch(choice.message.content ?? '', /^\s*[A-G]\s*$/);

    const refusing = await serve({ refusal: 1 });
    const refused = await complete(refusing, chatBody(frame, promptText(mission)));
    assert.equal(refused.status, 200);
    assert.equal(refused.json.choices[0]?.message.content, null);
    assert.match(refused.json.choices[0]?.message.refusal ?? '', /can't help/);
    assert.equal(refused.json.choices[0]?.logprobs?.content, null);
    assert.ok((refused.json.choices[0]?.logprobs?.refusal?.length ?? 0) > 0);

    const limited = await serve({ rateLimitRate: 1, retryAfterSeconds: 2 });
    const throttled = await complete(limited, chatBody(frame, promptText(mission)));
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '2');
    assert.equal(throttled.headers.get('retry-after-ms'), '2000');
    assert.equal(throttled.headers.get('x-should-retry'), 'true');
    assert.equal(throttled.json.error?.code, 'rate_limit_exceeded');
  });

  it('misread facing changes what it recommends; latency is spent through the injected sleep', async () => {
    const slept: number[] = [];
    const server = await serve({
      accuracy: 1,
      misreadFacing: 1,
      latencyMs: 250,
      sleep: async (ms) => void slept.push(ms),
    });
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++)
      answers.add(
        (await complete(server, chatBody(frame, promptText(mission)))).json.choices[0]?.message
          .content ?? '',
      );
    assert.ok(
      [...answers].some((a) => a !== expected),
      `answers ${[...answers].join(',')} vs planner ${expected}`,
    );
    assert.deepEqual(slept, Array(6).fill(250));
  });

  it('is reproducible for a seed, validates like OpenAI, and lists its model', async () => {
    const a = await serve({ seed: 3, accuracy: 0.6 });
    const b = await serve({ seed: 3, accuracy: 0.6 });
    const body = chatBody(frame, promptText(mission), { n: 5, temperature: 1 });
    const first = await complete(a, body);
    const second = await complete(b, body);
    assert.deepEqual(first.json.choices, second.json.choices);

    const bad = await complete(a, chatBody(frame, promptText(mission), { top_logprobs: 21 }));
    assert.equal(bad.status, 400);
    const noLogprobs = await complete(a, chatBody(frame, promptText(mission), { logprobs: false }));
    assert.equal(noLogprobs.status, 400);
    const wrongModel = await complete(a, {
      ...chatBody(frame, promptText(mission)),
      model: 'gpt-9',
    });
    assert.equal(wrongModel.status, 404);
    assert.equal(wrongModel.json.error?.code, 'model_not_found');
    const models = (await (await fetch(`${a.url}/models`)).json()) as { data: { id: string }[] };
    assert.deepEqual(
      models.data.map((m) => m.id),
      ['simulated-planner'],
    );
  });
});

describe(
  'simulated VLM behind the real gateway',
  () => {
    let server: SimulatedVlmServer;
    before(async () => {
      server = await serve({ accuracy: 0.8 });
    });

    it('serves a distribution whose argmax is the planner action', async () => {
      const { createProvider } = await import('@teacher-gateway/gateway/internal/providers/registry');
      const { loadConfig } = await import('@teacher-gateway/gateway/internal/config/load-config');
      const { createTestGateway } = await import('../../helpers/create-test-gateway.ts');
      const yaml = `storage: { path: ":memory:" }
defaultProvider: sim
providers:
  - { id: sim, kind: openai-compatible, baseURL: "${server.url}", model: simulated-planner, maxRetries: 0 }
`;
      const providerConfig = loadConfig(yaml, {}).config.providers[0]!;
      const gateway = createTestGateway({
        yaml,
        providers: { sim: createProvider({ config: providerConfig }) },
      });
      for (const seed of [2, 6]) {
        const state = doorKey(seed);
        const response = await gateway.post('/v1/suggestions', {
          template: 'minigrid-lvlm2p',
          observation: {
            image: toPngDataUrl(state.renderRgb({ tileSize: 8 })),
            text: state.snapshot().mission,
          },
          actions: { kind: 'discrete', labels: [...ACTION_LABELS] },
        });
        const text = await response.text();
        assert.equal(response.status, 200, text);
        const body = JSON.parse(text) as { action: number; probs?: number[]; method: string };
        assert.equal(body.method, 'logprobs');
        const probs = body.probs ?? [];
        const argmax = probs.indexOf(Math.max(...probs));
        assert.equal(argmax, planAction(state.snapshot()).action, text);
        assert.ok(Math.abs(probs[argmax]! - 0.8) < 0.01, text);
      }
    });
  },
);
