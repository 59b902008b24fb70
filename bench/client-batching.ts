/**
 * Client-side overhead of the auto-batching teacher handle (issue 5, Figures).
 *
 * A vectorised environment of 16 copies asks for 16 suggestions per step against a cache-hit
 * gateway (a real HTTP server on loopback, in a child process so client and server each have a
 * core). Steps per second with the batching handle (one `:batch` request per step) against 16
 * separate `client.suggest` requests per step. Both send the same requests (images by sha256), so
 * only batching differs; a third line shows the teacher fed raw RGB frames (PNG + sha256 per call).
 *
 *   npm run bench:client            # BENCH_SECONDS=2 per round by default, 2 rounds each
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, encodeRgbPng, sha256Hex } from '@teacher-gateway/client';
import type { Suggestion, SuggestionRequestInput } from '@teacher-gateway/client';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

const envCount = 16;
const roundSeconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = 2;
const labels = [...ACTION_LABELS];
const template = 'minigrid-lvlm2p';
const mission = 'use the key to open the door and then get to the goal';

if (process.argv.includes('--serve')) await serve();
else await measure();

/** Child process: the OpenAI stand-in and a gateway in front of it, URL reported over IPC. */
async function serve(): Promise<void> {
  const { startOpenAIStandIn } = await import('../test/stand-ins/openai-stand-in.ts');
  const { startServer } = await import('@teacher-gateway/gateway/internal/server');
  const standIn = await startOpenAIStandIn({ apiKey: 'sk-bench' });
  const dir = mkdtempSync(join(tmpdir(), 'bench-client-'));
  const configPath = join(dir, 'gateway.config.yaml');
  const prompts = fileURLToPath(new URL('../prompts/', import.meta.url));
  writeFileSync(
    configPath,
    [
      'server: { host: 127.0.0.1, port: 0 }',
      'storage: { path: ":memory:" }',
      `templates: { dir: ${JSON.stringify(prompts)} }`,
      'defaultProvider: standin',
      `providers: [{ id: standin, kind: openai, model: gpt-4o-mini, apiKey: sk-bench, baseURL: ${JSON.stringify(standIn.url)} }]`,
    ].join('\n'),
  );
  const server = await startServer({ configPath, environment: {} });
  process.send?.({ url: server.url });
  process.on('disconnect', () => {
    void server
      .close()
      .then(() => standIn.close())
      .finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
  });
}

async function measure(): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the gateway process exited (${code})`)));
  });
  const client = createClient({ baseUrl: url, retries: 0 });
  try {
    const frames = Array.from({ length: envCount }, (_, index) => ({
      width: 56,
      height: 56,
      data: new Uint8Array(56 * 56 * 3).map((_, byte) => (byte * (index + 3)) % 251),
    }));
    const teacher = client.teacher({ template, actions: { kind: 'discrete', labels } });
    // Warm-up: uploads the frames, fills the cache, and opens the keep-alive connections.
    await Promise.all(frames.map((image) => teacher.suggest({ image, text: mission })));
    const singles: SuggestionRequestInput[] = frames.map((image) => ({
      template,
      observation: { image: { sha256: sha256Hex(encodeRgbPng(image)) }, text: mission },
      actions: { kind: 'discrete', labels },
    }));
    await Promise.all(singles.map((request) => client.suggest(request)));

    const batchedStep = () =>
      Promise.all(singles.map((request) => teacher.suggest(request.observation)));
    const singleStep = () => Promise.all(singles.map((request) => client.suggest(request)));
    // What a trainer handing raw RGB frames pays on top: PNG encoding and sha256 of 16 frames per step.
    const framesStep = () =>
      Promise.all(frames.map((image) => teacher.suggest({ image, text: mission })));
    const results: Record<
      'batched' | 'single' | 'frames',
      Array<{ steps: number; seconds: number; cpuMicros: number }>
    > = {
      batched: [],
      single: [],
      frames: [],
    };
    for (let round = 0; round < rounds; round++) {
      results.batched.push(await run(batchedStep));
      results.single.push(await run(singleStep));
    }
    results.frames.push(await run(framesStep));
    const summarise = (runs: Array<{ steps: number; seconds: number; cpuMicros: number }>) => {
      const steps = runs.reduce((sum, entry) => sum + entry.steps, 0);
      const seconds = runs.reduce((sum, entry) => sum + entry.seconds, 0);
      const cpu = runs.reduce((sum, entry) => sum + entry.cpuMicros, 0);
      return { stepsPerSecond: steps / seconds, cpuMicrosPerStep: cpu / steps, steps };
    };
    const batched = summarise(results.batched);
    const single = summarise(results.single);
    console.log(
      `client batching bench: ${envCount} suggest calls per step, cache-hit gateway on loopback (child process), ${rounds}×${roundSeconds}s per variant`,
    );
    console.log(
      `  auto-batching teacher (1 :batch request/step): ${batched.stepsPerSecond.toFixed(0)} steps/s = ${(batched.stepsPerSecond * envCount).toFixed(0)} suggestions/s, client CPU ${batched.cpuMicrosPerStep.toFixed(0)} µs/step`,
    );
    console.log(
      `  16 single requests/step (client.suggest):      ${single.stepsPerSecond.toFixed(0)} steps/s = ${(single.stepsPerSecond * envCount).toFixed(0)} suggestions/s, client CPU ${single.cpuMicrosPerStep.toFixed(0)} µs/step`,
    );
    const frames56 = summarise(results.frames);
    console.log(
      `  (teacher fed 56×56 RGB frames, PNG+sha256 per call: ${frames56.stepsPerSecond.toFixed(0)} steps/s, client CPU ${frames56.cpuMicrosPerStep.toFixed(0)} µs/step)`,
    );
    console.log(
      `  ratio batched / single: ${(batched.stepsPerSecond / single.stepsPerSecond).toFixed(2)}×`,
    );
  } finally {
    await client.close();
    child.disconnect();
  }
}

/** Runs steps back to back for one round; every answer must be a cache hit or the figure is not the one claimed. */
async function run(
  step: () => Promise<Suggestion[]>,
): Promise<{ steps: number; seconds: number; cpuMicros: number }> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const end = start + roundSeconds * 1000;
  let steps = 0;
  while (performance.now() < end) {
    const suggestions = await step();
    if (suggestions.some((suggestion) => suggestion.cache !== 'hit'))
      throw new Error('expected every answer from the cache');
    steps += 1;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { steps, seconds: (performance.now() - start) / 1000, cpuMicros: cpu.user + cpu.system };
}
