// Installs the packed client (npm pack) into a scratch project outside the repository, type-checks a
// consumer under moduleResolution nodenext and bundler, and calls a live gateway from plain Node ESM.
// Usage: node scripts/check-packed-client.mjs   (after npm ci; the npm cache serves the installs)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { startEmbeddedGateway } from '@teacher-gateway/gateway';
import { createSimulatedVlmServer } from '@teacher-gateway/trainer/simulated-vlm';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'packed-client-'));
const run = (command, args, options = {}) => execFileSync(command, args, { cwd: scratch, encoding: 'utf8', ...options });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const say = (line) => process.stdout.write(`${line}\n`);

try {
  const tarball = run(npm, ['pack', join(root, 'client'), '--pack-destination', scratch, '--silent']).trim().split('\n').at(-1);
  const files = run('tar', ['-tzf', tarball]);
  if (/\.ts$/m.test(files.replace(/\.d\.ts$/gm, ''))) throw new Error(`the packed client ships TypeScript sources:\n${files}`);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
  const version = (name) => lock[`node_modules/${name}`].version;
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  // zod is a peer dependency: the consumer brings it (npm installs missing peers too).
  run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`, `zod@${version('zod')}`, `@types/node@${version('@types/node')}`]);

  const installed = join(scratch, 'node_modules/@teacher-gateway/client');
  const shipped = readdirSync(installed, { recursive: true }).filter((file) => /\.(js|d\.ts)$/.test(file));
  const withTsSpecifiers = shipped.filter((file) => /from\s*['"][^'"]+\.tsx?['"]/.test(readFileSync(join(installed, file), 'utf8')));
  if (withTsSpecifiers.length > 0) throw new Error(`the packed client imports .ts specifiers in ${withTsSpecifiers.join(', ')}`);
  say(`packed client: ${shipped.length} JavaScript and declaration files, no .ts import specifiers`);
  writeFileSync(
    join(scratch, 'consumer.ts'),
    `import { createClient, GatewayApiError, SuggestionRequestSchema, type Suggestion } from '@teacher-gateway/client';
const client = createClient({ baseUrl: 'http://127.0.0.1:1' });
const request = SuggestionRequestSchema.parse({ template: 't', observation: { text: 'x' }, actions: { kind: 'discrete', labels: ['a'] } });
const answer: Promise<Suggestion> = client.suggest(request);
export const isApiError = (error: unknown): boolean => error instanceof GatewayApiError;
void answer;
`,
  );
  for (const resolution of [{ module: 'nodenext', moduleResolution: 'nodenext' }, { module: 'esnext', moduleResolution: 'bundler' }]) {
    const config = { compilerOptions: { ...resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['consumer.ts'] };
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(config));
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
    say(`packed client: type-checks under moduleResolution ${resolution.moduleResolution}`);
  }

  const vlm = await createSimulatedVlmServer({ port: 0 });
  const gateway = await startEmbeddedGateway({
    configYaml: `server: { host: 127.0.0.1, port: 0 }
storage: { path: ":memory:" }
defaultProvider: simulated
providers:
  - { id: simulated, kind: openai-compatible, baseURL: ${JSON.stringify(vlm.url)}, model: simulated-planner }
`,
    templatesDir: join(root, 'prompts'),
  });
  try {
    writeFileSync(
      join(scratch, 'call.mjs'),
      `import { readFileSync } from 'node:fs';
import { createClient } from '@teacher-gateway/client';
const client = createClient({ baseUrl: process.argv[2] });
const suggestion = await client.suggest({
  template: 'minigrid-lvlm2p',
  observation: { image: 'data:image/png;base64,' + readFileSync(process.argv[3]).toString('base64'), text: 'use the key to open the door and then get to the goal' },
  actions: { kind: 'discrete', labels: ['turn left', 'turn right', 'move forward', 'pick up', 'drop', 'toggle', 'done'] },
});
process.stdout.write(JSON.stringify({ action: suggestion.action, probs: suggestion.probs }) + '\\n');
`,
    );
    const output = JSON.parse(
      await new Promise((resolve, reject) => {
        // Asynchronous: the gateway answering this call runs in this process.
        import('node:child_process').then(({ execFile }) =>
          execFile(process.execPath, ['call.mjs', gateway.url, join(root, 'examples/frames/doorkey-5x5-seed0.png')], { cwd: scratch }, (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
          ),
        );
      }),
    );
    if (output.action !== 1 || Math.abs(output.probs.reduce((a, b) => a + b, 0) - 1) > 1e-9) {
      throw new Error(`unexpected suggestion from the packed client: ${JSON.stringify(output)}`);
    }
    say(`packed client: plain Node ESM called the gateway, action ${output.action} ("turn right")`);
  } finally {
    await gateway.close();
    await vlm.close();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
